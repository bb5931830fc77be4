//! Tests of the whole engine through `compute`.
