//! Validity periods: half-open `[from, until)` in block-time milliseconds.

use crate::types::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Period {
    pub from: Timestamp,
    pub until: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodError {
    /// `until <= from`.
    Empty,
    /// `until <= now`: it would never be in force.
    InPast,
    /// Longer than the caller's maximum.
    TooLong,
}

impl Period {
    /// A period that is non-empty, still has a future, and lasts at most `max_len`.
    pub fn new(from: Timestamp, until: Timestamp, now: Timestamp, max_len: Timestamp) -> Result<Self, PeriodError> {
        let len = until.checked_sub(from).filter(|len| *len > 0).ok_or(PeriodError::Empty)?;
        if until <= now {
            return Err(PeriodError::InPast);
        }
        if len > max_len {
            return Err(PeriodError::TooLong);
        }
        Ok(Self { from, until })
    }

    /// `[now, until)`: for things that start when created (studies, delegations).
    pub fn from_now(now: Timestamp, until: Timestamp, max_len: Timestamp) -> Result<Self, PeriodError> {
        if until <= now {
            return Err(PeriodError::InPast);
        }
        Self::new(now, until, now, max_len)
    }

    /// `[now, now + len)`, saturating at the end of time rather than wrapping.
    pub fn starting_at(now: Timestamp, len: Timestamp) -> Self {
        Self { from: now, until: now.saturating_add(len) }
    }

    pub const fn contains(&self, now: Timestamp) -> bool {
        self.from <= now && now < self.until
    }

    pub const fn has_ended(&self, now: Timestamp) -> bool {
        now >= self.until
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn validation_rejects_each_bad_shape() {
        assert_eq!(Period::new(10, 10, 0, 100), Err(PeriodError::Empty));
        assert_eq!(Period::new(10, 5, 0, 100), Err(PeriodError::Empty));
        assert_eq!(Period::new(0, 50, 50, 100), Err(PeriodError::InPast));
        assert_eq!(Period::new(0, 101, 0, 100), Err(PeriodError::TooLong));
        assert_eq!(Period::new(0, 100, 0, 100), Ok(Period { from: 0, until: 100 }));
    }

    #[test]
    fn from_now_reports_past_ends_as_past() {
        assert_eq!(Period::from_now(50, 50, 100), Err(PeriodError::InPast));
        assert_eq!(Period::from_now(50, 10, 100), Err(PeriodError::InPast));
        assert_eq!(Period::from_now(50, 151, 100), Err(PeriodError::TooLong));
        assert_eq!(Period::from_now(50, 150, 100), Ok(Period { from: 50, until: 150 }));
    }

    #[test]
    fn half_open_interval() {
        let p = Period { from: 10, until: 20 };
        assert!(!p.contains(9));
        assert!(p.contains(10));
        assert!(p.contains(19));
        assert!(!p.contains(20));
        assert!(p.has_ended(20));
        assert!(!p.has_ended(19));
    }

    #[test]
    fn starting_at_saturates() {
        assert_eq!(Period::starting_at(u64::MAX - 1, 10).until, u64::MAX);
    }
}
