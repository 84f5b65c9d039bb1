//! DynamoDB's number type: up to 38 significant decimal digits, exact arithmetic.
//!
//! DynamoDB stores `N` values as exact decimals (not floats): `"0.1" + "0.2"` is `"0.3"`,
//! `"1"`, `"1.0"` and `"10E-1"` are the same number, and numbers order numerically. This module
//! parses `N` strings with the service's rules and error messages, compares, adds and prints
//! them the way DynamoDB returns them.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// The most significant digits a DynamoDB number can have.
const MAX_DIGITS: usize = 38;
/// `exp` of the largest magnitude: 9.99...E+125 is `0.999... * 10^126`.
const MAX_EXP: i64 = 126;
/// `exp` of the smallest magnitude: 1E-130 is `0.1 * 10^-129`.
const MIN_EXP: i64 = -129;

/// Why an `N` string is not a DynamoDB number; `Display` is DynamoDB's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// Not a decimal number at all.
    Invalid,
    /// More than 38 significant digits.
    Precision,
    /// Magnitude above 9.9999999999999999999999999999999999999E+125.
    Overflow,
    /// Magnitude below 1E-130 (and not zero).
    Underflow,
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NumberError::Invalid => "The parameter cannot be converted to a numeric value",
            NumberError::Precision => {
                "Attempting to store more than 38 significant digits in a Number"
            }
            NumberError::Overflow => {
                "Number overflow. Attempting to store a number with magnitude larger than supported range"
            }
            NumberError::Underflow => {
                "Number underflow. Attempting to store a number with magnitude smaller than supported range"
            }
        })
    }
}

impl std::error::Error for NumberError {}

/// A DynamoDB number: `(-1)^negative * 0.d1 d2 ... dn * 10^exp`.
///
/// `digits` holds the significant digits (0..=9) without leading or trailing zeros, so each
/// value has exactly one representation and the derived `Eq`/`Hash` are equality by value.
/// Zero has no digits and is never negative.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Number {
    negative: bool,
    digits: Vec<u8>,
    exp: i64,
}

impl Number {
    /// Zero.
    pub fn zero() -> Self {
        Number {
            negative: false,
            digits: Vec::new(),
            exp: 0,
        }
    }

    /// Parses an `N` string with DynamoDB's rules (sign, digits, optional fraction, optional
    /// exponent; 38 significant digits; magnitude range).
    pub fn parse(text: &str) -> Result<Self, NumberError> {
        let bytes = text.as_bytes();
        let mut pos = 0;
        let negative = match bytes.first() {
            Some(b'-') => {
                pos = 1;
                true
            }
            Some(b'+') => {
                pos = 1;
                false
            }
            _ => false,
        };
        // All mantissa digits in order, and how many of them come before the point.
        let mut mantissa = Vec::with_capacity(bytes.len());
        let mut integer_digits: i64 = 0;
        let mut seen_point = false;
        let mut seen_digit = false;
        while let Some(&b) = bytes.get(pos) {
            match b {
                b'0'..=b'9' => {
                    seen_digit = true;
                    mantissa.push(b - b'0');
                    if !seen_point {
                        integer_digits += 1;
                    }
                }
                b'.' if !seen_point => seen_point = true,
                _ => break,
            }
            pos += 1;
        }
        if !seen_digit {
            return Err(NumberError::Invalid);
        }
        let mut exponent: i64 = 0;
        if let Some(b'e' | b'E') = bytes.get(pos) {
            pos += 1;
            let exp_negative = match bytes.get(pos) {
                Some(b'-') => {
                    pos += 1;
                    true
                }
                Some(b'+') => {
                    pos += 1;
                    false
                }
                _ => false,
            };
            let start = pos;
            while let Some(b @ b'0'..=b'9') = bytes.get(pos) {
                // Saturate: anything this large is out of range anyway.
                exponent = exponent
                    .saturating_mul(10)
                    .saturating_add(i64::from(b - b'0'));
                pos += 1;
            }
            if pos == start {
                return Err(NumberError::Invalid);
            }
            if exp_negative {
                exponent = -exponent;
            }
        }
        if pos != bytes.len() {
            return Err(NumberError::Invalid);
        }
        let leading = mantissa.iter().take_while(|&&d| d == 0).count();
        if leading > 0 {
            mantissa.drain(..leading);
        }
        Self::normalized(
            negative,
            mantissa,
            (integer_digits - leading as i64).saturating_add(exponent),
        )
    }

    /// The [stored size](Self::stored_size) of `text` when it is an integer written the way
    /// DynamoDB returns it (an optional `-`, no leading zeros, no point, no exponent; zero as
    /// `0`) and in range: such a number is valid and canonical as it stands, so it needs no
    /// parse to be checked, measured or stored. `None` for any other text: parse it.
    ///
    /// ```
    /// use notes_core::number::Number;
    ///
    /// assert_eq!(Number::canonical_integer_size("1718000000123"), Some(8));
    /// assert_eq!(Number::canonical_integer_size("-100"), Some(3));
    /// // Valid, but not as DynamoDB writes it (or not an integer): parse these.
    /// assert_eq!(Number::canonical_integer_size("007"), None);
    /// assert_eq!(Number::canonical_integer_size("1.5"), None);
    /// ```
    pub fn canonical_integer_size(text: &str) -> Option<usize> {
        let (negative, digits) = match text.as_bytes() {
            b"0" => return Some(1),
            [b'-', digits @ ..] => (true, digits),
            digits => (false, digits),
        };
        match digits {
            [b'1'..=b'9', rest @ ..] if rest.iter().all(u8::is_ascii_digit) => {}
            _ => return None,
        }
        let places = digits.len();
        let trailing = digits.iter().rev().take_while(|&&d| d == b'0').count();
        if places - trailing > MAX_DIGITS || places as i64 > MAX_EXP {
            return None;
        }
        // `stored_size` with `exp` = `places` and the lowest place at `trailing`.
        let pairs = (places - 1) / 2 - trailing / 2 + 1;
        Some((pairs + 1 + usize::from(negative)).min(21))
    }

    /// Builds a number from digits that may have trailing zeros (no leading zeros) and checks
    /// DynamoDB's limits.
    fn normalized(negative: bool, mut digits: Vec<u8>, exp: i64) -> Result<Self, NumberError> {
        while digits.last() == Some(&0) {
            digits.pop();
        }
        if digits.is_empty() {
            return Ok(Number::zero());
        }
        if digits.len() > MAX_DIGITS {
            return Err(NumberError::Precision);
        }
        if exp > MAX_EXP {
            return Err(NumberError::Overflow);
        }
        if exp < MIN_EXP {
            return Err(NumberError::Underflow);
        }
        Ok(Number {
            negative,
            digits,
            exp,
        })
    }

    /// Whether this is zero.
    pub fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// This number with the opposite sign.
    pub fn negated(&self) -> Self {
        Number {
            negative: !self.negative && !self.is_zero(),
            ..self.clone()
        }
    }

    /// `self + other`, exact; fails like DynamoDB when the result does not fit.
    pub fn checked_add(&self, other: &Number) -> Result<Number, NumberError> {
        if self.is_zero() {
            return Ok(other.clone());
        }
        if other.is_zero() {
            return Ok(self.clone());
        }
        // Align both on the lowest decimal place and work on little-endian digit vectors.
        let low = self.lowest_place().min(other.lowest_place());
        let high = self.exp.max(other.exp);
        let width = usize::try_from(high - low).unwrap_or(0) + 1;
        let a = self.aligned(low, width);
        let b = other.aligned(low, width);
        let (negative, magnitude) = if self.negative == other.negative {
            (self.negative, add_magnitudes(&a, &b))
        } else {
            match compare_magnitudes(&a, &b) {
                Ordering::Equal => return Ok(Number::zero()),
                Ordering::Greater => (self.negative, sub_magnitudes(&a, &b)),
                Ordering::Less => (other.negative, sub_magnitudes(&b, &a)),
            }
        };
        // Back to big-endian without leading zeros; place of the top digit gives `exp`.
        let mut digits: Vec<u8> = magnitude.into_iter().rev().collect();
        let leading = digits.iter().take_while(|&&d| d == 0).count();
        let total = digits.len() as i64;
        digits.drain(..leading);
        let exp = low + total - leading as i64;
        Self::normalized(negative, digits, exp)
    }

    /// `self - other`, exact.
    pub fn checked_sub(&self, other: &Number) -> Result<Number, NumberError> {
        self.checked_add(&other.negated())
    }

    /// The power of ten of the last significant digit.
    fn lowest_place(&self) -> i64 {
        self.exp - self.digits.len() as i64
    }

    /// The magnitude as `width` little-endian digits starting at place `low`.
    fn aligned(&self, low: i64, width: usize) -> Vec<u8> {
        let mut out = vec![0u8; width + 1];
        let offset = usize::try_from(self.lowest_place() - low).unwrap_or(0);
        for (i, &d) in self.digits.iter().rev().enumerate() {
            if let Some(slot) = out.get_mut(offset + i) {
                *slot = d;
            }
        }
        out
    }

    /// The bytes DynamoDB counts for this number in an item's size: one per two significant
    /// digits (pairs aligned on the decimal point), one for the exponent, one more when negative.
    pub fn stored_size(&self) -> usize {
        if self.is_zero() {
            return 1;
        }
        let top = self.exp - 1;
        let bottom = self.lowest_place();
        let pairs = usize::try_from(top.div_euclid(2) - bottom.div_euclid(2) + 1).unwrap_or(0);
        (pairs + 1 + usize::from(self.negative)).min(21)
    }
}

fn add_magnitudes(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut carry = 0;
    a.iter()
        .zip(b)
        .map(|(x, y)| {
            let sum = x + y + carry;
            carry = sum / 10;
            sum % 10
        })
        .collect()
}

/// `a - b` for `a >= b`.
fn sub_magnitudes(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut borrow = 0;
    a.iter()
        .zip(b)
        .map(|(&x, &y)| {
            let (mut diff, sub) = (i16::from(x), i16::from(y) + borrow);
            borrow = 0;
            if diff < sub {
                diff += 10;
                borrow = 1;
            }
            (diff - sub) as u8
        })
        .collect()
}

fn compare_magnitudes(a: &[u8], b: &[u8]) -> Ordering {
    a.iter().rev().cmp(b.iter().rev())
}

impl Ord for Number {
    fn cmp(&self, other: &Self) -> Ordering {
        let sign = |n: &Number| match (n.is_zero(), n.negative) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        };
        let by_sign = sign(self).cmp(&sign(other));
        if by_sign != Ordering::Equal || self.is_zero() {
            return by_sign;
        }
        let by_magnitude = self
            .exp
            .cmp(&other.exp)
            .then_with(|| self.digits.cmp(&other.digits));
        if self.negative {
            by_magnitude.reverse()
        } else {
            by_magnitude
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl FromStr for Number {
    type Err = NumberError;
    fn from_str(s: &str) -> Result<Self, NumberError> {
        Number::parse(s)
    }
}

impl From<usize> for Number {
    fn from(value: usize) -> Self {
        // A usize has at most 20 digits, always in range.
        Number::parse(&value.to_string()).unwrap_or_else(|_| Number::zero())
    }
}

/// The canonical form DynamoDB returns: plain notation, no exponent, no superfluous zeros
/// (`"1.50"` -> `"1.5"`, `"1E2"` -> `"100"`, `"-0"` -> `"0"`).
impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_zero() {
            return f.write_str("0");
        }
        let mut out = String::with_capacity(self.digits.len() + 4);
        if self.negative {
            out.push('-');
        }
        let digit = |d: &u8| char::from(b'0' + d);
        let n = self.digits.len() as i64;
        if self.exp <= 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-self.exp) as usize));
            out.extend(self.digits.iter().map(digit));
        } else if self.exp >= n {
            out.extend(self.digits.iter().map(digit));
            out.extend(std::iter::repeat_n('0', (self.exp - n) as usize));
        } else {
            let split = self.exp as usize;
            out.extend(self.digits[..split].iter().map(digit));
            out.push('.');
            out.extend(self.digits[split..].iter().map(digit));
        }
        f.write_str(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(text: &str) -> Number {
        Number::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn canonical_form_drops_superfluous_zeros_and_exponents() {
        for (input, canonical) in [
            ("1.50", "1.5"),
            ("001", "1"),
            ("1E2", "100"),
            ("1e+2", "100"),
            ("10E-1", "1"),
            ("-0", "0"),
            ("0.000", "0"),
            ("+7", "7"),
            (".5", "0.5"),
            ("5.", "5"),
            ("-123.4500", "-123.45"),
            ("1E-130", &format!("0.{}1", "0".repeat(129))),
            ("1718000000123", "1718000000123"),
        ] {
            assert_eq!(n(input).to_string(), canonical, "{input}");
        }
    }

    #[test]
    fn canonical_integers_are_measured_without_a_parse_as_a_parse_measures_them() {
        let mut texts: Vec<String> = ["0", "1", "-1", "10", "100", "-1000", "1718000000123"]
            .map(String::from)
            .to_vec();
        texts.push("9".repeat(38));
        texts.push(format!("-{}", "9".repeat(38)));
        texts.push(format!("1{}", "0".repeat(125)));
        for places in 1..=40 {
            texts.push("7".repeat(places));
            texts.push(format!("12{}", "0".repeat(places)));
            texts.push(format!(
                "-3{}4{}",
                "0".repeat(places / 2),
                "0".repeat(places)
            ));
        }
        for text in &texts {
            match Number::parse(text) {
                Ok(number) if number.to_string() == *text => assert_eq!(
                    Number::canonical_integer_size(text),
                    Some(number.stored_size()),
                    "{text}"
                ),
                _ => assert_eq!(Number::canonical_integer_size(text), None, "{text}"),
            }
        }
        for other in [
            "", "-", "-0", "+1", "01", "1.0", "1E2", "1e2", " 1", "1 ", "--1", "x",
        ] {
            assert_eq!(Number::canonical_integer_size(other), None, "{other:?}");
        }
        let past_the_top = format!("1{}", "0".repeat(126));
        assert_eq!(Number::canonical_integer_size(&past_the_top), None);
    }

    #[test]
    fn equality_is_by_value() {
        assert_eq!(n("1"), n("1.0"));
        assert_eq!(n("1"), n("10E-1"));
        assert_eq!(n("0"), n("-0.00"));
        assert_ne!(n("1"), n("-1"));
    }

    #[test]
    fn ordering_is_numeric() {
        let mut values: Vec<Number> = ["10", "9", "-1", "0", "-10", "0.5", "1E2", "-0.05", "99.9"]
            .into_iter()
            .map(n)
            .collect();
        values.sort();
        let sorted: Vec<String> = values.iter().map(ToString::to_string).collect();
        assert_eq!(
            sorted,
            ["-10", "-1", "-0.05", "0", "0.5", "9", "10", "99.9", "100"]
        );
    }

    #[test]
    fn thirty_eight_significant_digits_fit_and_thirty_nine_do_not() {
        assert!(Number::parse(&"9".repeat(38)).is_ok());
        assert_eq!(Number::parse(&"9".repeat(39)), Err(NumberError::Precision));
        // Leading and trailing zeros are not significant.
        assert!(Number::parse(&format!("000{}000", "1".repeat(38))).is_ok());
        assert!(Number::parse(&format!("0.000{}", "1".repeat(38))).is_ok());
        assert_eq!(
            NumberError::Precision.to_string(),
            "Attempting to store more than 38 significant digits in a Number"
        );
    }

    #[test]
    fn magnitude_limits_are_dynamodbs() {
        assert!(Number::parse("9.9999999999999999999999999999999999999E+125").is_ok());
        assert!(Number::parse("-9.9999999999999999999999999999999999999E+125").is_ok());
        assert_eq!(Number::parse("1E+126"), Err(NumberError::Overflow));
        assert!(Number::parse("1E-130").is_ok());
        assert!(Number::parse("-1E-130").is_ok());
        assert_eq!(Number::parse("1E-131"), Err(NumberError::Underflow));
        assert_eq!(Number::parse("0.9E-130"), Err(NumberError::Underflow));
        assert_eq!(
            Number::parse("1E99999999999999999999"),
            Err(NumberError::Overflow)
        );
        assert!(Number::parse("0E99999999999999999999").is_ok());
        assert!(
            NumberError::Overflow
                .to_string()
                .starts_with("Number overflow.")
        );
        assert!(
            NumberError::Underflow
                .to_string()
                .starts_with("Number underflow.")
        );
    }

    #[test]
    fn malformed_numbers_are_rejected() {
        for bad in [
            "", "-", "abc", "1.2.3", "1e", "1e+", "--1", "1 ", " 1", "0x10", "NaN", "Infinity", ".",
        ] {
            assert_eq!(Number::parse(bad), Err(NumberError::Invalid), "{bad:?}");
        }
    }

    #[test]
    fn addition_and_subtraction_are_exact() {
        let add = |a: &str, b: &str| n(a).checked_add(&n(b)).unwrap().to_string();
        let sub = |a: &str, b: &str| n(a).checked_sub(&n(b)).unwrap().to_string();
        assert_eq!(add("0.1", "0.2"), "0.3");
        assert_eq!(add("99", "1"), "100");
        assert_eq!(add("-5", "3"), "-2");
        assert_eq!(add("5", "-5"), "0");
        assert_eq!(add("1E20", "1"), "100000000000000000001");
        assert_eq!(add("0", "-1.5"), "-1.5");
        assert_eq!(sub("1", "0.001"), "0.999");
        assert_eq!(sub("-1", "-1"), "0");
        assert_eq!(sub("10", "20.5"), "-10.5");
        assert_eq!(
            n("1E100").checked_add(&n("1E-100")),
            Err(NumberError::Precision)
        );
        assert_eq!(
            n("9.9999999999999999999999999999999999999E+125").checked_add(&n("1E+88")),
            Err(NumberError::Overflow)
        );
    }

    #[test]
    fn stored_size_counts_digit_pairs_on_the_decimal_point() {
        for (text, size) in [
            ("0", 1),
            ("1", 2),
            ("12", 2),
            ("123", 3),
            ("100", 2),
            ("1000", 2),
            ("0.5", 2),
            ("1.5", 3),
            ("-1", 3),
            ("1718000000123", 8),
        ] {
            assert_eq!(n(text).stored_size(), size, "{text}");
        }
        assert_eq!(n(&"9".repeat(38)).stored_size(), 20);
        assert_eq!(n(&format!("-{}", "9".repeat(38))).stored_size(), 21);
    }
}
