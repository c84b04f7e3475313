"""The domain core: pure functions and plain data classes, free of Django and I/O."""
