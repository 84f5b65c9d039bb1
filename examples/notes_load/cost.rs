//! What a month of the observed load costs, from a dated price table (never fetched).

/// DynamoDB's throughput prices in one region, Standard table class, in US dollars.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Prices {
    /// The region the prices are for.
    pub(crate) region: &'static str,
    /// Since when these prices are in force (the last change: the on-demand price cut).
    pub(crate) effective: &'static str,
    /// When this table was last checked against the published prices.
    pub(crate) checked: &'static str,
    /// One provisioned read capacity unit for one hour.
    pub(crate) rcu_hour: f64,
    /// One provisioned write capacity unit for one hour.
    pub(crate) wcu_hour: f64,
    /// One million on-demand read request units.
    pub(crate) million_rru: f64,
    /// One million on-demand write request units.
    pub(crate) million_wru: f64,
}

/// us-east-1 (N. Virginia), Standard table class.
///
/// Sources: <https://aws.amazon.com/dynamodb/pricing/provisioned/> ($0.00065 per WCU-hour,
/// $0.00013 per RCU-hour) and <https://aws.amazon.com/dynamodb/pricing/on-demand/> ($0.625 per
/// million write request units, $0.125 per million read request units since the 50% on-demand
/// price cut of 1 November 2024). The free tier (25 RCU and 25 WCU of provisioned capacity),
/// storage, backups and data transfer are not counted. Update `checked` with the numbers.
pub(crate) const US_EAST_1: Prices = Prices {
    region: "us-east-1",
    effective: "2024-11-01",
    checked: "2026-11-25",
    rcu_hour: 0.000_13,
    wcu_hour: 0.000_65,
    million_rru: 0.125,
    million_wru: 0.625,
};

/// Hours in a billing month, as AWS's pricing examples count them (365 × 24 / 12).
pub(crate) const HOURS_PER_MONTH: f64 = 730.0;

/// A month of a table provisioned at `read` RCU and `write` WCU.
pub(crate) fn provisioned_monthly(prices: &Prices, read: i64, write: i64) -> f64 {
    (read as f64 * prices.rcu_hour + write as f64 * prices.wcu_hour) * HOURS_PER_MONTH
}

/// Request units in a month at `units_per_second` on average.
pub(crate) fn monthly_units(units_per_second: f64) -> f64 {
    units_per_second * 3600.0 * HOURS_PER_MONTH
}

/// A month on demand at `read_units` and `write_units` per second on average: a request unit
/// is what a capacity unit is (a strongly consistent read of up to 4 KB, half for an
/// eventually consistent one; a write of up to 1 KB).
pub(crate) fn on_demand_monthly(prices: &Prices, read_units: f64, write_units: f64) -> f64 {
    monthly_units(read_units) / 1e6 * prices.million_rru
        + monthly_units(write_units) / 1e6 * prices.million_wru
}

/// The units to provision for a demand of `units_per_second`: rounded up, at least 1
/// (DynamoDB's minimum).
pub(crate) fn units_for(units_per_second: f64) -> i64 {
    (units_per_second - 1e-9).ceil().max(1.0) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn the_notes_table_at_five_and_five_costs_2_85_a_month() {
        // 5 × 0.00013 × 730 + 5 × 0.00065 × 730 = 0.4745 + 2.3725
        let cost = provisioned_monthly(&US_EAST_1, 5, 5);
        assert!(close(cost, 2.847), "{cost}");
        assert!(close(provisioned_monthly(&US_EAST_1, 1, 0), 0.0949));
        assert!(close(provisioned_monthly(&US_EAST_1, 0, 1), 0.4745));
    }

    #[test]
    fn on_demand_bills_request_units_per_million() {
        // 10 RRU/s: 10 × 3600 × 730 = 26.28 M RRU × $0.125 = $3.285;
        // 2.5 WRU/s: 6.57 M WRU × $0.625 = $4.10625.
        assert!(close(monthly_units(10.0), 26_280_000.0));
        let cost = on_demand_monthly(&US_EAST_1, 10.0, 2.5);
        assert!(close(cost, 3.285 + 4.106_25), "{cost}");
        assert!(close(on_demand_monthly(&US_EAST_1, 0.0, 0.0), 0.0));
    }

    #[test]
    fn provisioned_units_round_up_and_start_at_one() {
        assert_eq!(units_for(0.0), 1);
        assert_eq!(units_for(0.2), 1);
        assert_eq!(units_for(5.0), 5);
        assert_eq!(units_for(5.01), 6);
        assert_eq!(units_for(14.6), 15);
    }
}
