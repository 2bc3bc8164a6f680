"""The clinic's outcome statistics: figures (aggregate SQL, suppression) and their chart."""
