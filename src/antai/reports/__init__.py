"""Reports: renderings of the guideline (and, later, of plans and assessments) for people and machines."""
