"""The command-line adapter over antai's core."""
