//! Capacity units, rounded the way DynamoDB rounds them.
//!
//! - A write costs 1 WCU per started KB of the larger of the old and new item (at least 1).
//! - A strongly consistent read costs 1 RCU per started 4 KB (at least 1); an eventually
//!   consistent read costs half that.
//! - Query and Scan add up the sizes of every item read for a page and round once.
//! - Transactional reads and writes cost twice as much.

use notes_model::ItemMap;

use notes_core::validate;

const WRITE_UNIT: usize = 1024;
const READ_UNIT: usize = 4096;

/// WCUs to write an item of `bytes` (the larger of the old and new image).
pub(crate) fn write_units(bytes: usize) -> f64 {
    bytes.div_ceil(WRITE_UNIT).max(1) as f64
}

/// RCUs to read `bytes` at once (one item, or one query/scan page).
pub(crate) fn read_units(bytes: usize, consistent_read: bool) -> f64 {
    let units = bytes.div_ceil(READ_UNIT).max(1) as f64;
    if consistent_read { units } else { units / 2.0 }
}

/// WCUs a failed conditional write consumes: the existing item's, at least 1.
pub(crate) fn item_write_units(existing: Option<&ItemMap>) -> f64 {
    write_units(existing.map_or(0, validate::item_size))
}

/// Transactional reads and writes cost double.
pub(crate) fn transactional(units: f64) -> f64 {
    units * 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_round_up_to_whole_kilobytes() {
        assert_eq!(write_units(0), 1.0);
        assert_eq!(write_units(1), 1.0);
        assert_eq!(write_units(1024), 1.0);
        assert_eq!(write_units(1025), 2.0);
        assert_eq!(write_units(400 * 1024), 400.0);
    }

    #[test]
    fn reads_round_up_to_four_kilobytes_and_halve_when_eventually_consistent() {
        assert_eq!(read_units(0, true), 1.0);
        assert_eq!(read_units(4096, true), 1.0);
        assert_eq!(read_units(4097, true), 2.0);
        assert_eq!(read_units(4097, false), 1.0);
        assert_eq!(read_units(100, false), 0.5);
        assert_eq!(transactional(read_units(5000, true)), 4.0);
    }
}
