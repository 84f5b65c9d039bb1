//! How records sit in a journal file: each framed as `[payload length: u32 LE][crc32 of
//! the payload: u32 LE][payload]`; the payload is never empty (its first byte is its kind,
//! `codec.rs`). The checksum covers every byte of the payload, and through it the length: a
//! changed length frames other bytes, whose checksum does not match. A record that cannot be
//! read ([`read_record`]) ends the journal only when what follows is a torn tail
//! ([`torn_tail`]: what a crash while appending leaves); any other damage is corruption,
//! which recovery refuses and salvage skips ([`next_readable`]).

/// Frame header bytes: length and checksum.
pub(crate) const FRAME: usize = 8;
/// No record is larger (a longer length is a torn or garbage header).
const MAX_RECORD: usize = 1 << 30;

/// Appends `payload` to `out` as one framed record.
pub(crate) fn frame(out: &mut Vec<u8>, payload: &[u8]) {
    let len = u32::try_from(payload.len()).expect("a journal record is under 4 GiB");
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    out.extend_from_slice(payload);
}

/// The next complete record of `bytes` from `at`: its payload and where the next one starts,
/// or `None` when none can be read there ([`read_record`] tells why).
pub(crate) fn next_record(bytes: &[u8], at: usize) -> Option<(&[u8], usize)> {
    match read_record(bytes, at) {
        Frame::Record(payload, next) => Some((payload, next)),
        Frame::End | Frame::Bad { .. } => None,
    }
}

/// What [`read_record`] finds at an offset.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Frame<'a> {
    /// A record whose checksum matches: its payload, and where the next record starts.
    Record(&'a [u8], usize),
    /// The end of the bytes.
    End,
    /// A record that cannot be read. `short`: it runs past the end of the bytes (fewer bytes
    /// left than its frame, or than its length says; a length over the largest record counts
    /// as such); otherwise its checksum does not match, or its length is 0.
    Bad {
        /// It runs past the end.
        short: bool,
    },
}

/// The record of `bytes` at `at`.
pub(crate) fn read_record(bytes: &[u8], at: usize) -> Frame<'_> {
    if at >= bytes.len() {
        return Frame::End;
    }
    let Some(header) = bytes.get(at..at.saturating_add(FRAME)) else {
        return Frame::Bad { short: true };
    };
    let len = u32::from_le_bytes([header[0], header[1], header[2], header[3]]) as usize;
    let crc = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
    let end = at + FRAME + len;
    if len > MAX_RECORD || end > bytes.len() {
        return Frame::Bad { short: true };
    }
    let payload = &bytes[at + FRAME..end];
    if len == 0 || crc32fast::hash(payload) != crc {
        return Frame::Bad { short: false };
    }
    Frame::Record(payload, end)
}

/// Whether the bytes of `bytes` from `at`, where a record cannot be read, are a torn tail: what
/// a crash while appending leaves, and may be cut off. That is fewer bytes than a frame, or
/// one record that runs past the end and holds nothing readable: its checksum matches no
/// shorter length (a changed length field is damage) and no record can be read after it. A
/// complete record whose checksum does not match is damage, even at the end: a crash cuts
/// a record short, it does not change its bytes. So is a tail of zeros (what a power loss
/// can leave on some file systems, and what a lost block reads as): it is refused, not
/// guessed at, and salvage cuts it.
pub(crate) fn torn_tail(bytes: &[u8], at: usize) -> bool {
    let rest = bytes.get(at..).unwrap_or_default();
    if rest.len() < FRAME {
        return true;
    }
    read_record(bytes, at) == Frame::Bad { short: true }
        && next_readable(bytes, at + 1).is_none()
        && !reads_with_another_length(rest)
}

/// Whether the checksum of the frame at the start of `rest` matches some non-empty prefix of
/// what follows its frame header: its length field was changed (the record is all there).
fn reads_with_another_length(rest: &[u8]) -> bool {
    let crc = u32::from_le_bytes([rest[4], rest[5], rest[6], rest[7]]);
    let mut hasher = crc32fast::Hasher::new();
    rest[FRAME..].iter().any(|&b| {
        hasher.update(&[b]);
        hasher.clone().finalize() == crc
    })
}

/// The first offset from `from` at which a record can be read: where reading resumes after
/// damage (salvage), and what tells damage from a torn tail.
pub(crate) fn next_readable(bytes: &[u8], from: usize) -> Option<usize> {
    (from..bytes.len()).find(|&at| matches!(read_record(bytes, at), Frame::Record(..)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_round_trips_and_a_torn_or_flipped_one_ends_the_journal() {
        let mut out = Vec::new();
        frame(&mut out, b"hello");
        frame(&mut out, b"world");
        let (first, next) = next_record(&out, 0).unwrap();
        assert_eq!(first, b"hello");
        let (second, end) = next_record(&out, next).unwrap();
        assert_eq!((second, end), (&b"world"[..], out.len()));
        assert_eq!(next_record(&out, end), None);
        // Torn: the last record cut short.
        assert_eq!(next_record(&out[..out.len() - 1], next), None);
        // A flipped bit.
        let mut flipped = out.clone();
        flipped[next + FRAME] ^= 1;
        assert_eq!(next_record(&flipped, next), None);
        // Garbage header.
        assert_eq!(next_record(&[0xff; 16], 0), None);
    }

    #[test]
    fn only_a_short_tail_with_nothing_readable_after_is_torn() {
        let mut out = Vec::new();
        frame(&mut out, b"first record");
        let second = out.len();
        frame(&mut out, b"second record");
        let third = out.len();
        frame(&mut out, b"third record");
        // Complete: nothing torn, nothing damaged.
        assert_eq!(read_record(&out, out.len()), Frame::End);
        // Cut anywhere inside the last record: torn.
        for len in third + 1..out.len() {
            assert_eq!(read_record(&out[..len], third), Frame::Bad { short: true });
            assert!(torn_tail(&out[..len], third), "cut at {len}");
        }
        // Zeros after the last record: damage (a lost block reads so), not a torn tail;
        // fewer than a frame's bytes of anything are.
        let mut zeros = out.clone();
        zeros.extend_from_slice(&[0; 300]);
        assert!(!torn_tail(&zeros, out.len()));
        assert!(torn_tail(&zeros[..out.len() + FRAME - 1], out.len()));
        // A flipped bit in the last record's payload: damage, not a torn tail.
        let mut flipped = out.clone();
        flipped[third + FRAME + 2] ^= 4;
        assert_eq!(read_record(&flipped, third), Frame::Bad { short: false });
        assert!(!torn_tail(&flipped, third));
        // Its length made longer (past the end): its checksum matches the real length.
        let mut longer = out.clone();
        longer[third + 1] ^= 1;
        assert_eq!(read_record(&longer, third), Frame::Bad { short: true });
        assert!(!torn_tail(&longer, third));
        // The middle record's length made longer: the third can still be read after it.
        let mut middle = out.clone();
        middle[second + 2] ^= 0x40;
        assert!(!torn_tail(&middle, second));
        assert_eq!(next_readable(&middle, second + 1), Some(third));
        // A length of 0 with a checksum of 0 is not an empty record.
        assert_eq!(read_record(&[0; 16], 0), Frame::Bad { short: false });
    }
}
