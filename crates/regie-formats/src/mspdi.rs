//! MS Project XML (MSPDI). (Being written.)
