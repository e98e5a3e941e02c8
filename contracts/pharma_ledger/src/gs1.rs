//! GS1 identifier checks (General Specifications §7.9 check digit, §7.11 AI encodable
//! character set 82, AI 17 expiry): pure, no_std, no allocation.

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
}

/// The GS1 mod-10 check: weights 3,1,3,… from the digit left of the check digit.
pub fn validate_gtin(gtin: &Gtin) -> Result<(), Gs1Error> {
    if !gtin.iter().all(u8::is_ascii_digit) {
        return Err(Gs1Error::NotDigits);
    }
    let (body, check) = gtin.split_at(13);
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

/// The end of the expiry day (AI 17, YYMMDD, 20YY; DD = 00 means the month's last day) as a
/// block-time timestamp: a pack is expired from that moment.
pub fn expiry_end(yymmdd: u32) -> Result<Timestamp, Gs1Error> {
    let v = u64::from(yymmdd);
    let (yy, mm, dd) = (v / 10_000, (v / 100) % 100, v % 100);
    if yy > 99 || !(1..=12).contains(&mm) {
        return Err(Gs1Error::BadDate);
    }
    let year = yy.saturating_add(2000);
    let last = days_in_month(year, mm);
    let day = if dd == 0 { last } else { dd };
    if day > last {
        return Err(Gs1Error::BadDate);
    }
    // Days from 1970-01-01 to the day after expiry: at most 130 years of loop.
    let mut days: u64 = (1970..year).map(|y| if is_leap(y) { 366 } else { 365 }).sum();
    days = days.saturating_add((1..mm).map(|m| days_in_month(year, m)).sum::<u64>());
    days = days.saturating_add(day);
    Ok(days.saturating_mul(MS_PER_DAY))
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
        assert_eq!(validate_gtin(&gtin("00000000000000")), Ok(()));
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

    #[test]
    fn expiry_dates() {
        // 2026-01-01T00:00:00Z = 1_767_225_600_000; expiry 251231 ends at that instant.
        assert_eq!(expiry_end(251231), Ok(1_767_225_600_000));
        assert_eq!(expiry_end(251200), Ok(1_767_225_600_000), "DD=00 is the last day");
        assert_eq!(expiry_end(240229), Ok(expiry_end(240228).unwrap() + MS_PER_DAY), "leap day");
        assert_eq!(expiry_end(250229), Err(Gs1Error::BadDate));
        assert_eq!(expiry_end(251301), Err(Gs1Error::BadDate));
        assert_eq!(expiry_end(250001), Err(Gs1Error::BadDate));
        assert_eq!(expiry_end(250431), Err(Gs1Error::BadDate));
        assert_eq!(expiry_end(1_000_101), Err(Gs1Error::BadDate));
    }

    proptest! {
        /// Exactly one check digit makes any 13-digit body valid.
        #[test]
        fn one_check_digit_per_body(body in proptest::collection::vec(0u8..10, 13)) {
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
        fn single_digit_errors_detected(body in proptest::collection::vec(0u8..10, 13), pos in 0usize..14, delta in 1u8..10) {
            let mut g = [0u8; 14];
            for (i, d) in body.iter().enumerate() { g[i] = b'0' + d; }
            g[13] = (0u8..10).map(|c| b'0' + c).find(|c| { g[13] = *c; validate_gtin(&g).is_ok() }).unwrap();
            g[pos] = b'0' + (g[pos] - b'0' + delta) % 10;
            prop_assert_eq!(validate_gtin(&g), Err(Gs1Error::BadCheckDigit));
        }
    }
}
