"""Developer tools: the fixture-portal server and the demo that crawls it."""
