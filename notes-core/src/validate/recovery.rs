//! Point-in-time recovery: the `PointInTimeRecoverySpecification` of
//! `UpdateContinuousBackups`.

use crate::error::{Error, Result};
use crate::request::UpdateContinuousBackups;

/// The shortest recovery period, in days: "Valid Range: Minimum value of 1. Maximum value of
/// 35." (APIReference/API_PointInTimeRecoverySpecification.html).
pub const MIN_RECOVERY_PERIOD_DAYS: u32 = 1;
/// The longest recovery period, in days, and DynamoDB's default: "If no value is provided, the
/// value will default to 35." (same page).
pub const MAX_RECOVERY_PERIOD_DAYS: u32 = 35;

/// Checks an `UpdateContinuousBackups` as DynamoDB does before it looks at the table: a
/// `RecoveryPeriodInDays` out of 1..=35 (the constraint, checked first), then one given while
/// turning recovery off, each a `ValidationException` in DynamoDB's words.
///
/// ```
/// use notes_repo::request::UpdateContinuousBackups;
/// use notes_core::validate;
///
/// assert!(validate::continuous_backups(&UpdateContinuousBackups::new("notes", true).recovery_period_in_days(7)).is_ok());
/// let err = validate::continuous_backups(&UpdateContinuousBackups::new("notes", false).recovery_period_in_days(7)).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "validation error: Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery."
/// );
/// ```
pub fn continuous_backups(request: &UpdateContinuousBackups) -> Result<()> {
    let Some(days) = request.recovery_period_in_days else {
        return Ok(());
    };
    recovery_period_in_days(days)?;
    if !request.point_in_time_recovery_enabled {
        return Err(Error::validation(
            "Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time \
             recovery.",
        ));
    }
    Ok(())
}

/// A `RecoveryPeriodInDays` within 1..=35, or DynamoDB's constraint message (observed: "1
/// validation error detected: Value '0' at 'pointInTimeRecoverySpecification.
/// recoveryPeriodInDays' failed to satisfy constraint: Member must have value greater than or
/// equal to 1").
///
/// ```
/// let err = notes_core::validate::recovery_period_in_days(36).unwrap_err();
/// assert!(err.to_string().ends_with("Member must have value less than or equal to 35"));
/// ```
pub fn recovery_period_in_days(days: u32) -> Result<()> {
    let constraint = if days < MIN_RECOVERY_PERIOD_DAYS {
        format!("greater than or equal to {MIN_RECOVERY_PERIOD_DAYS}")
    } else if days > MAX_RECOVERY_PERIOD_DAYS {
        format!("less than or equal to {MAX_RECOVERY_PERIOD_DAYS}")
    } else {
        return Ok(());
    };
    Err(Error::validation(format!(
        "1 validation error detected: Value '{days}' at \
         'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: \
         Member must have value {constraint}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(request: &UpdateContinuousBackups) -> String {
        match continuous_backups(request) {
            Err(Error::Validation { message, .. }) => message,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn a_period_out_of_range_is_refused_before_a_period_while_disabling() {
        let enable =
            |days| UpdateContinuousBackups::new("notes", true).recovery_period_in_days(days);
        assert_eq!(
            message(&enable(0)),
            "1 validation error detected: Value '0' at \
             'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy \
             constraint: Member must have value greater than or equal to 1"
        );
        assert_eq!(
            message(&enable(36)),
            "1 validation error detected: Value '36' at \
             'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy \
             constraint: Member must have value less than or equal to 35"
        );
        for days in [1, 7, 35] {
            assert!(continuous_backups(&enable(days)).is_ok(), "{days}");
        }
        // DynamoDB checks the constraint first: 0 while disabling is the range error.
        let disable =
            |days| UpdateContinuousBackups::new("notes", false).recovery_period_in_days(days);
        assert!(message(&disable(0)).ends_with("greater than or equal to 1"));
        assert_eq!(
            message(&disable(7)),
            "Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time \
             recovery."
        );
        assert!(continuous_backups(&UpdateContinuousBackups::new("notes", false)).is_ok());
    }
}
