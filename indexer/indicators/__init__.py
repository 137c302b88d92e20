"""KM-plan indicators per Thai fiscal year, computed from the assets."""
