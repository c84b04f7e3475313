"""Package data: the seed table (a copy of the golden transcription) for the demo."""
