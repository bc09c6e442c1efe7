"""Pure decisions: plain values in, a Verdict out. No Nova imports here
beyond Nova's own operator semantics for aggregate metadata."""
