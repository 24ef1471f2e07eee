//! Browser journey (written once the web UI exists).
