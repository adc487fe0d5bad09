"""Bank checklists as data: a bank's questionnaire in antai's own words, each row mapped to catalog items and
organisation facts, validated like items and answered from the assessment (pure core; wording in adapters)."""
