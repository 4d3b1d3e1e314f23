//! Input decoding (being written).
