//! The bytes a durable store's journal is written in: the payload encoding under its
//! records (their framing and kinds are `durable/`'s). Integers are little endian, strings
//! and byte strings are length-prefixed (`u32`), times are seconds and nanoseconds since
//! the Unix epoch, attribute values are a type byte and their contents.
//!
//! Below the tables: a table encodes its item writes as they happen (`pending.rs`), so the
//! encoding knows nothing of the engine's own types.

use std::fmt;
use std::time::{Duration, SystemTime};

use notes_model::{AttributeValue, ItemMap};

/// A payload that does not decode.
#[derive(Debug)]
pub(crate) struct Corrupt(pub(crate) std::borrow::Cow<'static, str>);

impl From<&'static str> for Corrupt {
    fn from(reason: &'static str) -> Self {
        Corrupt(reason.into())
    }
}

impl fmt::Display for Corrupt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "corrupt journal record: {}", self.0)
    }
}

impl std::error::Error for Corrupt {}

/// What decoding answers.
pub(crate) type Decoded<T> = Result<T, Corrupt>;

/// Builds a payload.
#[derive(Debug, Default, Clone)]
pub(crate) struct Encoder {
    pub(crate) bytes: Vec<u8>,
}

impl Encoder {
    pub(crate) fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    pub(crate) fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn u64(&mut self, v: u64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn i64(&mut self, v: i64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).expect("fewer than 2^32 elements"));
    }

    pub(crate) fn bytes(&mut self, v: &[u8]) {
        self.len(v.len());
        self.bytes.extend_from_slice(v);
    }

    pub(crate) fn str(&mut self, v: &str) {
        self.bytes(v.as_bytes());
    }

    pub(crate) fn time(&mut self, t: SystemTime) {
        let since = t.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
        self.duration(since);
    }

    pub(crate) fn duration(&mut self, d: Duration) {
        self.u64(d.as_secs());
        self.u32(d.subsec_nanos());
    }

    pub(crate) fn times(&mut self, ts: &[SystemTime]) {
        self.len(ts.len());
        for &t in ts {
            self.time(t);
        }
    }

    pub(crate) fn value(&mut self, v: &AttributeValue) {
        match v {
            AttributeValue::S(s) => {
                self.u8(0);
                self.str(s);
            }
            AttributeValue::N(n) => {
                self.u8(1);
                self.str(n);
            }
            AttributeValue::B(b) => {
                self.u8(2);
                self.bytes(b);
            }
            AttributeValue::Bool(b) => {
                self.u8(3);
                self.u8(u8::from(*b));
            }
            AttributeValue::Null(b) => {
                self.u8(4);
                self.u8(u8::from(*b));
            }
            AttributeValue::M(m) => {
                self.u8(5);
                self.item(m);
            }
            AttributeValue::L(l) => {
                self.u8(6);
                self.len(l.len());
                for v in l {
                    self.value(v);
                }
            }
            AttributeValue::Ss(ss) => {
                self.u8(7);
                self.len(ss.len());
                for s in ss {
                    self.str(s);
                }
            }
            AttributeValue::Ns(ns) => {
                self.u8(8);
                self.len(ns.len());
                for n in ns {
                    self.str(n);
                }
            }
            AttributeValue::Bs(bs) => {
                self.u8(9);
                self.len(bs.len());
                for b in bs {
                    self.bytes(b);
                }
            }
        }
    }

    pub(crate) fn item(&mut self, item: &ItemMap) {
        self.len(item.len());
        for (name, value) in item {
            self.str(name);
            self.value(value);
        }
    }
}

/// Reads a payload.
pub(crate) struct Decoder<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Decoder<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Decoder { bytes, at: 0 }
    }

    fn take(&mut self, n: usize) -> Decoded<&'a [u8]> {
        let end = self
            .at
            .checked_add(n)
            .ok_or(Corrupt::from("length overflow"))?;
        let slice = self
            .bytes
            .get(self.at..end)
            .ok_or(Corrupt::from("record shorter than its contents"))?;
        self.at = end;
        Ok(slice)
    }

    pub(crate) fn u8(&mut self) -> Decoded<u8> {
        Ok(self.take(1)?[0])
    }

    /// Whether every byte has been read.
    pub(crate) fn is_done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    pub(crate) fn u32(&mut self) -> Decoded<u32> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().unwrap_or_default(),
        ))
    }

    pub(crate) fn u64(&mut self) -> Decoded<u64> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().unwrap_or_default(),
        ))
    }

    pub(crate) fn i64(&mut self) -> Decoded<i64> {
        Ok(i64::from_le_bytes(
            self.take(8)?.try_into().unwrap_or_default(),
        ))
    }

    pub(crate) fn len(&mut self) -> Decoded<usize> {
        let n = self.u32()? as usize;
        // Every element takes at least one byte: a larger count is garbage, not a huge
        // allocation.
        if n > self.bytes.len() - self.at {
            return Err(Corrupt::from("count larger than the record"));
        }
        Ok(n)
    }

    pub(crate) fn raw(&mut self, n: usize) -> Decoded<&'a [u8]> {
        self.take(n)
    }

    pub(crate) fn bytes(&mut self) -> Decoded<Vec<u8>> {
        let n = self.len()?;
        Ok(self.take(n)?.to_vec())
    }

    pub(crate) fn str(&mut self) -> Decoded<String> {
        String::from_utf8(self.bytes()?).map_err(|_| Corrupt::from("string is not UTF-8"))
    }

    pub(crate) fn time(&mut self) -> Decoded<SystemTime> {
        Ok(SystemTime::UNIX_EPOCH + self.duration()?)
    }

    pub(crate) fn duration(&mut self) -> Decoded<Duration> {
        let secs = self.u64()?;
        let nanos = self.u32()?;
        if nanos >= 1_000_000_000 {
            return Err(Corrupt::from("nanoseconds out of range"));
        }
        Ok(Duration::new(secs, nanos))
    }

    pub(crate) fn times(&mut self) -> Decoded<Vec<SystemTime>> {
        (0..self.len()?).map(|_| self.time()).collect()
    }

    pub(crate) fn value(&mut self) -> Decoded<AttributeValue> {
        Ok(match self.u8()? {
            0 => AttributeValue::S(self.str()?),
            1 => AttributeValue::N(self.str()?),
            2 => AttributeValue::B(self.bytes()?),
            3 => AttributeValue::Bool(self.u8()? != 0),
            4 => AttributeValue::Null(self.u8()? != 0),
            5 => AttributeValue::M(self.item()?),
            6 => AttributeValue::L(
                (0..self.len()?)
                    .map(|_| self.value())
                    .collect::<Decoded<_>>()?,
            ),
            7 => AttributeValue::Ss(
                (0..self.len()?)
                    .map(|_| self.str())
                    .collect::<Decoded<_>>()?,
            ),
            8 => AttributeValue::Ns(
                (0..self.len()?)
                    .map(|_| self.str())
                    .collect::<Decoded<_>>()?,
            ),
            9 => AttributeValue::Bs(
                (0..self.len()?)
                    .map(|_| self.bytes())
                    .collect::<Decoded<_>>()?,
            ),
            _ => return Err(Corrupt::from("unknown attribute value type")),
        })
    }

    pub(crate) fn item(&mut self) -> Decoded<ItemMap> {
        let n = self.len()?;
        let mut item = ItemMap::with_capacity(n);
        for _ in 0..n {
            let name = self.str()?;
            item.insert(name, self.value()?);
        }
        Ok(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attribute_value_type_round_trips() {
        let item = ItemMap::from([
            ("s".to_owned(), AttributeValue::S("é".into())),
            ("n".to_owned(), AttributeValue::N("-1.5e3".into())),
            ("b".to_owned(), AttributeValue::B(vec![0, 255])),
            ("bool".to_owned(), AttributeValue::Bool(true)),
            ("null".to_owned(), AttributeValue::Null(true)),
            (
                "m".to_owned(),
                AttributeValue::M(ItemMap::from([("x".to_owned(), AttributeValue::L(vec![]))])),
            ),
            (
                "l".to_owned(),
                AttributeValue::L(vec![AttributeValue::N("1".into())]),
            ),
            (
                "ss".to_owned(),
                AttributeValue::Ss(vec!["a".into(), "b".into()]),
            ),
            ("ns".to_owned(), AttributeValue::Ns(vec!["1".into()])),
            ("bs".to_owned(), AttributeValue::Bs(vec![vec![1], vec![]])),
        ]);
        let mut e = Encoder::default();
        e.item(&item);
        let mut d = Decoder::new(&e.bytes);
        assert_eq!(d.item().unwrap(), item);
    }

    #[test]
    fn a_huge_count_is_corrupt_not_an_allocation() {
        let mut d = Decoder::new(&[0xff, 0xff, 0xff, 0xff]);
        assert!(matches!(
            d.item(),
            Err(Corrupt(reason)) if reason == "count larger than the record"
        ));
    }
}
