//! Integration tests for the earful binary.
