//! Exact decimal numbers for scores, weights and ratios.
//!
//! Scores are never binary floats: a [`Fixed`] is an integer count of ten-thousandths
//! (0.0001), enough for every judging step (0.5, 0.1, 0.01) and for ratios such as 0.10.
//! Means and weighted totals are exact [`Rational`]s until they are rounded half-up
//! (四舍五入) to the event's decimals, so 8.165 always becomes 8.17.

use std::cmp::Ordering;
use std::fmt;

/// Ten-thousandths per unit.
pub const SCALE: i64 = 10_000;
/// Decimal places a [`Fixed`] holds.
pub const SCALE_DIGITS: u32 = 4;

/// An exact decimal with four places, stored as ten-thousandths.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fixed(i64);

/// Why a text is not a decimal number.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecimalError {
    #[error("不是数字 (not a number): {0}")]
    NotANumber(String),
    #[error("小数位过多，最多 4 位 (too many decimal places, at most 4): {0}")]
    TooPrecise(String),
    #[error("数值过大 (number too large): {0}")]
    TooLarge(String),
}

impl Fixed {
    pub const ZERO: Fixed = Fixed(0);

    /// From a raw count of ten-thousandths (as stored in the database).
    pub const fn from_raw(raw: i64) -> Self {
        Fixed(raw)
    }

    /// The raw count of ten-thousandths.
    pub const fn raw(self) -> i64 {
        self.0
    }

    /// A whole number.
    pub const fn from_int(n: i64) -> Self {
        Fixed(n * SCALE)
    }

    /// Parses "8", "8.5", "-2", "0.10", "８．５" (full-width digits are accepted) exactly.
    pub fn parse(text: &str) -> Result<Self, DecimalError> {
        let normalised: String = text
            .trim()
            .trim_matches('\u{3000}')
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '．' | '。' => '.',
                '－' => '-',
                '＋' => '+',
                other => other,
            })
            .collect();
        let s = normalised.as_str();
        let bad = || DecimalError::NotANumber(text.to_string());
        let (negative, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if (int_part.is_empty() && frac_part.is_empty())
            || !int_part.chars().all(|c| c.is_ascii_digit())
            || !frac_part.chars().all(|c| c.is_ascii_digit())
        {
            return Err(bad());
        }
        let frac_trimmed = frac_part.trim_end_matches('0');
        if frac_trimmed.len() > SCALE_DIGITS as usize {
            return Err(DecimalError::TooPrecise(text.to_string()));
        }
        if int_part.len() > 12 {
            return Err(DecimalError::TooLarge(text.to_string()));
        }
        let int_value: i64 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().map_err(|_| bad())?
        };
        let mut frac_value: i64 = 0;
        for (i, c) in frac_trimmed.chars().enumerate() {
            let digit = i64::from(c as u8 - b'0');
            frac_value += digit * 10_i64.pow(SCALE_DIGITS - 1 - i as u32);
        }
        let raw = int_value * SCALE + frac_value;
        Ok(Fixed(if negative { -raw } else { raw }))
    }

    /// From a TOML/JSON float, through its shortest decimal form ("0.1", never 0.1000000000000000055).
    pub fn from_f64_shortest(value: f64) -> Result<Self, DecimalError> {
        if !value.is_finite() {
            return Err(DecimalError::NotANumber(value.to_string()));
        }
        Fixed::parse(&format!("{value}"))
    }

    /// For display and JSON only — never for arithmetic on scores.
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / SCALE as f64
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Whether `self` is a whole multiple of `step` (a zero step accepts everything).
    pub fn is_multiple_of(self, step: Fixed) -> bool {
        step.0 == 0 || self.0 % step.0 == 0
    }

    pub fn checked_add(self, other: Fixed) -> Option<Fixed> {
        self.0.checked_add(other.0).map(Fixed)
    }

    /// Formats with exactly `decimals` places, rounding half-up (away from zero) if needed.
    pub fn format(self, decimals: u32) -> String {
        Rational::from(self).format(decimals)
    }

    /// Rounds half-up to `decimals` places.
    pub fn round(self, decimals: u32) -> Fixed {
        Rational::from(self).round_to(decimals)
    }
}

impl std::ops::Add for Fixed {
    type Output = Fixed;
    fn add(self, rhs: Fixed) -> Fixed {
        Fixed(self.0 + rhs.0)
    }
}

impl std::ops::Sub for Fixed {
    type Output = Fixed;
    fn sub(self, rhs: Fixed) -> Fixed {
        Fixed(self.0 - rhs.0)
    }
}

impl std::ops::Neg for Fixed {
    type Output = Fixed;
    fn neg(self) -> Fixed {
        Fixed(-self.0)
    }
}

impl std::iter::Sum for Fixed {
    fn sum<I: Iterator<Item = Fixed>>(iter: I) -> Fixed {
        Fixed(iter.map(|f| f.0).sum())
    }
}

impl fmt::Display for Fixed {
    /// The shortest exact form: 8.5, 10, 0.25.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let int = abs / SCALE as u64;
        let frac = abs % SCALE as u64;
        if frac == 0 {
            write!(f, "{sign}{int}")
        } else {
            let digits = format!("{frac:04}");
            write!(f, "{sign}{int}.{}", digits.trim_end_matches('0'))
        }
    }
}

impl std::str::FromStr for Fixed {
    type Err = DecimalError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Fixed::parse(s)
    }
}

impl serde::Serialize for Fixed {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> serde::Deserialize<'de> for Fixed {
    /// Accepts integers, floats (through their shortest decimal form) and strings.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Fixed;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal number")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Fixed, E> {
                v.checked_mul(SCALE)
                    .map(Fixed)
                    .ok_or_else(|| E::custom(format!("number too large: {v}")))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Fixed, E> {
                i64::try_from(v)
                    .ok()
                    .and_then(|v| v.checked_mul(SCALE))
                    .map(Fixed)
                    .ok_or_else(|| E::custom(format!("number too large: {v}")))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Fixed, E> {
                Fixed::from_f64_shortest(v).map_err(E::custom)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Fixed, E> {
                Fixed::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// An exact fraction `num / den` (den > 0), used for means, weighted totals and ratios × counts.
#[derive(Clone, Copy, Debug)]
pub struct Rational {
    num: i128,
    den: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a.max(1)
}

impl Rational {
    /// `num / den`; `den` must not be zero (a zero denominator is treated as 1).
    pub fn new(num: i128, den: i128) -> Self {
        let (num, den) = if den < 0 { (-num, -den) } else { (num, den) };
        let den = if den == 0 { 1 } else { den };
        let g = gcd(num, den);
        Rational {
            num: num / g,
            den: den / g,
        }
    }

    pub fn from_int(n: i64) -> Self {
        Rational::new(i128::from(n), 1)
    }

    pub fn numerator(self) -> i128 {
        self.num
    }

    pub fn denominator(self) -> i128 {
        self.den
    }

    /// Rounds half-up (away from zero at exactly .5) to a whole number of `10^-decimals`.
    fn rounded_units(self, decimals: u32) -> i128 {
        let scaled_num = self.num * 10_i128.pow(decimals);
        let q = scaled_num.div_euclid(self.den);
        let r = scaled_num.rem_euclid(self.den);
        if self.num >= 0 {
            if 2 * r >= self.den { q + 1 } else { q }
        } else if 2 * r > self.den {
            q + 1
        } else {
            q
        }
    }

    /// Rounds half-up to `decimals` places (at most 4).
    pub fn round_to(self, decimals: u32) -> Fixed {
        let decimals = decimals.min(SCALE_DIGITS);
        let units = self.rounded_units(decimals);
        let raw = units * 10_i128.pow(SCALE_DIGITS - decimals);
        Fixed(i64::try_from(raw).unwrap_or(if raw < 0 { i64::MIN } else { i64::MAX }))
    }

    /// Rounds down (toward negative infinity) to a whole number.
    pub fn floor(self) -> i128 {
        self.num.div_euclid(self.den)
    }

    /// Rounds up to a whole number.
    pub fn ceil(self) -> i128 {
        -((-self.num).div_euclid(self.den))
    }

    /// Rounds half-up to a whole number.
    pub fn round_half_up(self) -> i128 {
        self.rounded_units(0)
    }

    /// Formats with exactly `decimals` places after half-up rounding.
    pub fn format(self, decimals: u32) -> String {
        let units = self.rounded_units(decimals);
        let sign = if units < 0 { "-" } else { "" };
        let abs = units.unsigned_abs();
        if decimals == 0 {
            return format!("{sign}{abs}");
        }
        let p = 10_u128.pow(decimals);
        format!(
            "{sign}{}.{:0width$}",
            abs / p,
            abs % p,
            width = decimals as usize
        )
    }

    /// For display only.
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }
}

impl std::ops::Add for Rational {
    type Output = Rational;
    fn add(self, other: Rational) -> Rational {
        Rational::new(
            self.num * other.den + other.num * self.den,
            self.den * other.den,
        )
    }
}

impl std::ops::Sub for Rational {
    type Output = Rational;
    fn sub(self, other: Rational) -> Rational {
        self + Rational::new(-other.num, other.den)
    }
}

impl std::ops::Mul for Rational {
    type Output = Rational;
    fn mul(self, other: Rational) -> Rational {
        Rational::new(self.num * other.num, self.den * other.den)
    }
}

impl std::ops::Div for Rational {
    type Output = Rational;
    /// Division; dividing by zero gives zero (callers never divide by an empty panel).
    fn div(self, other: Rational) -> Rational {
        if other.num == 0 {
            return Rational::from_int(0);
        }
        Rational::new(self.num * other.den, self.den * other.num)
    }
}

impl From<Fixed> for Rational {
    fn from(f: Fixed) -> Self {
        Rational::new(i128::from(f.0), i128::from(SCALE))
    }
}

impl PartialEq for Rational {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Rational {}

impl PartialOrd for Rational {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Rational {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.num * other.den).cmp(&(other.num * self.den))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> Fixed {
        Fixed::parse(s).expect("valid decimal")
    }

    #[test]
    fn parses_exactly() {
        assert_eq!(f("8.165").raw(), 81_650);
        assert_eq!(f("0.10").raw(), 1_000);
        assert_eq!(f("-2").raw(), -20_000);
        assert_eq!(f(".5").raw(), 5_000);
        assert_eq!(f("９５．５").raw(), 955_000);
        assert!(matches!(
            Fixed::parse("abc"),
            Err(DecimalError::NotANumber(_))
        ));
        assert!(matches!(
            Fixed::parse("1.23456"),
            Err(DecimalError::TooPrecise(_))
        ));
        assert!(matches!(Fixed::parse(""), Err(DecimalError::NotANumber(_))));
        assert!(matches!(
            Fixed::parse("1.2.3"),
            Err(DecimalError::NotANumber(_))
        ));
    }

    #[test]
    fn rounds_half_up_on_exact_values() {
        assert_eq!(f("8.165").format(2), "8.17");
        assert_eq!(f("8.164").format(2), "8.16");
        assert_eq!(f("2.675").format(2), "2.68"); // 2.675 is 2.67499… as a binary float
        assert_eq!(f("1.005").format(2), "1.01");
        assert_eq!(f("-2.5").format(0), "-3");
        assert_eq!(f("90").format(2), "90.00");
        // A mean of 3 sheets: (85.5 + 86 + 86.0) / 3 = 85.8333…
        let mean = Rational::from(f("257.5")) / Rational::from_int(3);
        assert_eq!(mean.format(2), "85.83");
        // 24.495 / 3 = 8.165 exactly → 8.17
        let mean = Rational::from(f("24.495")) / Rational::from_int(3);
        assert_eq!(mean.round_to(2), f("8.17"));
    }

    #[test]
    fn floats_enter_through_their_shortest_form() {
        assert_eq!(Fixed::from_f64_shortest(0.1).ok(), Some(f("0.1")));
        assert_eq!(Fixed::from_f64_shortest(0.3).ok(), Some(f("0.3")));
        // 45 × (0.1 + 0.2) is exactly 13.5 here, not 13.500000000000002.
        let r = Rational::from(f("0.1")) + Rational::from(f("0.2"));
        let places = Rational::from_int(45) * r;
        assert_eq!(places.round_half_up(), 14);
        assert_eq!(places.floor(), 13);
        assert_eq!(places.ceil(), 14);
    }

    #[test]
    fn displays_shortest() {
        assert_eq!(f("8.50").to_string(), "8.5");
        assert_eq!(f("10").to_string(), "10");
        assert_eq!(f("-0.25").to_string(), "-0.25");
    }

    #[test]
    fn step_multiples() {
        assert!(f("8.5").is_multiple_of(f("0.5")));
        assert!(!f("8.3").is_multiple_of(f("0.5")));
        assert!(f("8.3").is_multiple_of(f("0.1")));
        assert!(!f("8.35").is_multiple_of(f("0.1")));
    }
}
