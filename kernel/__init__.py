"""The shared kernel, below the apps: it imports no app but ``audit`` (docs/development.md)."""
