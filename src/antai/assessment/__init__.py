"""Self-assessment: answers, decisions, evidence and organisation facts, with their rules."""
