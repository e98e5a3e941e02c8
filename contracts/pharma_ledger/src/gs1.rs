//! GS1 identifier checks (General Specifications §7.9 check digit, §7.11 AI encodable
//! character set 82, AI 17 expiry with the §7.12 century rule): pure, no_std, no allocation.

use carechain_shared::{Timestamp, MS_PER_DAY};

/// GTIN-14 as 14 ASCII digits (a GTIN-8/12/13 is left-padded with zeros to 14).
pub type Gtin = [u8; 14];

/// EU FMD: serials and batch numbers are at most 20 characters.
pub const MAX_CODE_LEN: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gs1Error {
    NotDigits,
    BadCheckDigit,
    /// Empty or longer than 20 characters.
    BadLength,
    /// A character outside GS1 AI encodable character set 82.
    BadCharacter,
    /// Not a valid YYMMDD date.
    BadDate,
    /// The all-zero GTIN: GS1 company prefix 0000000 is never allocated.
    Reserved,
}

/// The GS1 mod-10 check: weights 3,1,3,… from the digit left of the check digit.
pub fn validate_gtin(gtin: &Gtin) -> Result<(), Gs1Error> {
    if !gtin.iter().all(u8::is_ascii_digit) {
        return Err(Gs1Error::NotDigits);
    }
    let (body, check) = gtin.split_at(13);
    if body.iter().all(|d| *d == b'0') {
        return Err(Gs1Error::Reserved);
    }
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| u32::from(d.saturating_sub(b'0')).saturating_mul(if i % 2 == 0 { 3 } else { 1 }))
        .fold(0u32, u32::saturating_add);
    let expected = (10u32.saturating_sub(sum % 10)) % 10;
    if check.first().map(|c| u32::from(c.saturating_sub(b'0'))) == Some(expected) {
        Ok(())
    } else {
        Err(Gs1Error::BadCheckDigit)
    }
}

/// GS1 AI encodable character set 82: `!"%&'()*+,-./0-9:;<=>?A-Z_a-z`.
pub fn is_cset82(c: u8) -> bool {
    matches!(c, b'!' | b'"' | b'%'..=b'/' | b'0'..=b'9' | b':'..=b'?' | b'A'..=b'Z' | b'_' | b'a'..=b'z')
}

/// A serial (AI 21) or batch/lot (AI 10): 1–20 characters of set 82.
pub fn validate_code(code: &[u8]) -> Result<(), Gs1Error> {
    if code.is_empty() || code.len() > MAX_CODE_LEN {
        return Err(Gs1Error::BadLength);
    }
    if code.iter().copied().all(is_cset82) {
        Ok(())
    } else {
        Err(Gs1Error::BadCharacter)
    }
}

const fn is_leap(year: u64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to `year-month-day` (proleptic Gregorian, H. Hinnant's
/// `days_from_civil`): constant time, exact for every year from 1970 on.
pub fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let y = if month <= 2 { year.saturating_sub(1) } else { year };
    let era = y / 400;
    let yoe = y.saturating_sub(era.saturating_mul(400));
    let mp = if month > 2 { month.saturating_sub(3) } else { month.saturating_add(9) };
    let doy = (mp.saturating_mul(153).saturating_add(2) / 5).saturating_add(day).saturating_sub(1);
    let doe = yoe.saturating_mul(365).saturating_add(yoe / 4).saturating_sub(yoe / 100).saturating_add(doy);
    era.saturating_mul(146_097).saturating_add(doe).saturating_sub(719_468)
}

/// The calendar year of a block-time timestamp (inverse of `days_from_civil` for the year).
pub fn year_of(timestamp: Timestamp) -> u64 {
    let z = (timestamp / MS_PER_DAY).saturating_add(719_468);
    let era = z / 146_097;
    let doe = z.saturating_sub(era.saturating_mul(146_097));
    let yoe = doe.saturating_sub(doe / 1_460).saturating_add(doe / 36_524).saturating_sub(doe / 146_096) / 365;
    let doy = doe.saturating_sub(yoe.saturating_mul(365).saturating_add(yoe / 4).saturating_sub(yoe / 100));
    let mp = (doy.saturating_mul(5).saturating_add(2)) / 153;
    let year = yoe.saturating_add(era.saturating_mul(400));
    // Months March..December are mp 0..9; January and February (mp 10, 11) belong to the next year.
    if mp >= 10 {
        year.saturating_add(1)
    } else {
        year
    }
}

/// GS1 General Specifications §7.12: a two-digit year YY is in the current century, unless it
/// is 51 or more years ahead of the current year (then the previous century) or 50 or more
/// years behind it (then the next century).
pub fn full_year(yy: u64, current_year: u64) -> u64 {
    let century = (current_year / 100).saturating_mul(100);
    let current = current_year % 100;
    if yy >= current.saturating_add(51) {
        century.saturating_sub(100).saturating_add(yy)
    } else if current >= yy.saturating_add(50) {
        century.saturating_add(100).saturating_add(yy)
    } else {
        century.saturating_add(yy)
    }
}

/// The end of the expiry day (AI 17, YYMMDD; DD = 00 means the month's last day) as a
/// block-time timestamp — a pack is expired from that moment. The century follows the GS1 rule
/// relative to the year of `now` (the time of commissioning: the result is stored with the lot).
pub fn expiry_end(yymmdd: u32, now: Timestamp) -> Result<Timestamp, Gs1Error> {
    let v = u64::from(yymmdd);
    let (yy, mm, dd) = (v / 10_000, (v / 100) % 100, v % 100);
    if yy > 99 || !(1..=12).contains(&mm) {
        return Err(Gs1Error::BadDate);
    }
    let year = full_year(yy, year_of(now));
    let last = days_in_month(year, mm);
    let day = if dd == 0 { last } else { dd };
    if day > last {
        return Err(Gs1Error::BadDate);
    }
    // The expiry day is the last good day: the pack expires at the start of the next one.
    Ok(days_from_civil(year, mm, day).saturating_add(1).saturating_mul(MS_PER_DAY))
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn gtin(s: &str) -> Gtin {
        s.as_bytes().try_into().unwrap()
    }

    #[test]
    fn known_gtins() {
        // GS1 General Specifications examples.
        assert_eq!(validate_gtin(&gtin("00012345600012")), Ok(()));
        assert_eq!(validate_gtin(&gtin("09506000134352")), Ok(()));
        assert_eq!(validate_gtin(&gtin("10614141000415")), Ok(()), "GS1 GTIN-14 example");
        assert_eq!(validate_gtin(&gtin("00012345600013")), Err(Gs1Error::BadCheckDigit));
        assert_eq!(validate_gtin(&gtin("0001234560001A")), Err(Gs1Error::NotDigits));
        assert_eq!(validate_gtin(&gtin("00000000000000")), Err(Gs1Error::Reserved));
        assert_eq!(validate_gtin(&gtin("00000000000017")), Ok(()), "only the all-zero body is reserved");
    }

    #[test]
    fn code_charset_and_length() {
        assert_eq!(validate_code(b"ABC123xyz"), Ok(()));
        assert_eq!(validate_code(b"!\"%&'()*+,-./:;<=>?_"), Ok(()));
        assert_eq!(validate_code(b""), Err(Gs1Error::BadLength));
        assert_eq!(validate_code(&[b'A'; 21]), Err(Gs1Error::BadLength));
        assert_eq!(validate_code(&[b'A'; 20]), Ok(()));
        for bad in [b' ', b'#', b'$', b'@', b'[', b'\\', b']', b'^', b'`', b'{', b'|', b'}', b'~', 0x7f, 0xC3] {
            assert_eq!(validate_code(&[b'A', bad]), Err(Gs1Error::BadCharacter), "{bad:#x}");
        }
    }

    #[test]
    fn cset82_has_exactly_82_characters() {
        assert_eq!((0u8..=255).filter(|c| is_cset82(*c)).count(), 82);
    }

    /// 2026-01-01T00:00:00Z.
    const NOW_2026: Timestamp = 1_767_225_600_000;

    #[test]
    fn expiry_dates() {
        // Expiry 251231 ends at 2026-01-01T00:00:00Z.
        assert_eq!(expiry_end(251231, NOW_2026), Ok(NOW_2026));
        assert_eq!(expiry_end(251200, NOW_2026), Ok(NOW_2026), "DD=00 is the last day");
        assert_eq!(expiry_end(280229, NOW_2026), Ok(expiry_end(280228, NOW_2026).unwrap() + MS_PER_DAY), "leap day");
        assert_eq!(expiry_end(250229, NOW_2026), Err(Gs1Error::BadDate));
        assert_eq!(expiry_end(251301, NOW_2026), Err(Gs1Error::BadDate));
        assert_eq!(expiry_end(250001, NOW_2026), Err(Gs1Error::BadDate));
        assert_eq!(expiry_end(250431, NOW_2026), Err(Gs1Error::BadDate));
        assert_eq!(expiry_end(1_000_101, NOW_2026), Err(Gs1Error::BadDate));
    }

    #[test]
    fn gs1_century_rule() {
        // §7.12 examples relative to 2026: 51+ years ahead is the past century, 50+ behind the next.
        assert_eq!(full_year(30, 2026), 2030);
        assert_eq!(full_year(76, 2026), 2076, "50 years ahead stays in this century");
        assert_eq!(full_year(77, 2026), 1977, "51 years ahead is the previous century");
        assert_eq!(full_year(0, 2049), 2000);
        assert_eq!(full_year(99, 2049), 2099, "exactly 50 ahead stays");
        assert_eq!(full_year(99, 2048), 1999, "51 ahead does not");
        assert_eq!(full_year(0, 2099), 2100, "99 behind: next century");
        assert_eq!(full_year(49, 2099), 2149, "50 behind: next century");
        assert_eq!(full_year(50, 2099), 2050);
        // An expiry in 1999 commissioned in 2026 is long expired.
        assert!(expiry_end(991231, NOW_2026).unwrap() < NOW_2026);
        // Near a century boundary (2095), an expiry of YY=05 means 2105, not 2005.
        let in_2095 = days_from_civil(2095, 6, 1) * MS_PER_DAY;
        assert_eq!(expiry_end(50101, in_2095), Ok((days_from_civil(2105, 1, 1) + 1) * MS_PER_DAY));
    }

    #[test]
    fn calendar_conversions() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2026, 1, 1) * MS_PER_DAY, NOW_2026);
        assert_eq!(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28), 2, "2000 is a leap year");
        assert_eq!(days_from_civil(2100, 3, 1) - days_from_civil(2100, 2, 28), 1, "2100 is not");
        assert_eq!(year_of(NOW_2026), 2026);
        assert_eq!(year_of(NOW_2026 - 1), 2025);
        assert_eq!(year_of(0), 1970);
    }

    proptest! {
        /// Day counts and years agree with counting days one by one.
        #[test]
        fn civil_dates_round_trip(year in 1970u64..2400, month in 1u64..13, day in 1u64..29) {
            let days = days_from_civil(year, month, day);
            let counted: u64 = (1970..year).map(|y| if is_leap(y) { 366 } else { 365 }).sum::<u64>()
                + (1..month).map(|m| days_in_month(year, m)).sum::<u64>()
                + day - 1;
            prop_assert_eq!(days, counted);
            prop_assert_eq!(year_of(days * MS_PER_DAY), year);
            prop_assert_eq!(year_of(days * MS_PER_DAY + MS_PER_DAY - 1), year);
        }

        /// Exactly one check digit makes any 13-digit body valid.
        #[test]
        fn one_check_digit_per_body(body in proptest::collection::vec(0u8..10, 13).prop_filter("reserved", |b| b.iter().any(|d| *d != 0))) {
            let valid = (0u8..10).filter(|c| {
                let mut g = [0u8; 14];
                for (i, d) in body.iter().enumerate() { g[i] = b'0' + d; }
                g[13] = b'0' + c;
                validate_gtin(&g).is_ok()
            }).count();
            prop_assert_eq!(valid, 1);
        }

        /// Any single-digit typo in a valid GTIN is caught.
        #[test]
        fn single_digit_errors_detected(body in proptest::collection::vec(0u8..10, 13).prop_filter("reserved", |b| b.iter().any(|d| *d != 0)), pos in 0usize..14, delta in 1u8..10) {
            let mut g = [0u8; 14];
            for (i, d) in body.iter().enumerate() { g[i] = b'0' + d; }
            g[13] = (0u8..10).map(|c| b'0' + c).find(|c| { g[13] = *c; validate_gtin(&g).is_ok() }).unwrap();
            g[pos] = b'0' + (g[pos] - b'0' + delta) % 10;
            // A typo that zeroes the whole body is refused as reserved instead.
            prop_assert!(matches!(validate_gtin(&g), Err(Gs1Error::BadCheckDigit | Gs1Error::Reserved)));
        }
    }
}
