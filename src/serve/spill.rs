//! The preview's output on disk instead of in memory: each page, feed and
//! sitemap the preview serves is kept compressed ([`Packed`]) in one unnamed
//! temporary file, and memory holds only where it is, its length and a hash.
//! A 10,000-post site's pages are about 300 MB compressed, the largest part
//! of the preview's resident memory; read back, a page costs one positioned
//! read of a few kilobytes, from the system's cache when it was served lately.
//!
//! The file has no name (made by `tempfile`, in the system's temporary
//! folder), so nothing is left behind whatever way the preview ends. An entry
//! that no build or request holds any more gives its space back at once: its
//! blocks are cut out of the file (`fallocate` with `FALLOC_FL_PUNCH_HOLE`;
//! each entry starts on a block of its own, so its blocks are its alone), and
//! the file holds about what the preview serves however many rebuilds
//! replace every page. That needs Linux and a file system that can do it
//! (checked when the file is made); elsewhere the preview keeps its output in
//! memory, as it does when the file cannot be made.

use std::fs::File;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::text::packed::Packed;

/// Entries start on a multiple of this: a file system block, so that the
/// blocks of an entry given back are not shared with a live one. The space
/// between entries is never written, so it takes no room on disk.
const BLOCK: u64 = 4096;

/// The file the entries are in.
pub struct Spill {
    file: File,
    /// Where the next entry goes: entries only ever go after the last one.
    end: AtomicU64,
}

impl Spill {
    /// A new, empty spill file, or `None` when this system cannot give space
    /// back from the middle of a file, or no file can be made (the preview
    /// then keeps its output in memory).
    pub fn new() -> Option<Arc<Spill>> {
        if !cfg!(target_os = "linux") {
            return None;
        }
        let spill = Arc::new(Spill {
            file: tempfile::tempfile().ok()?,
            end: AtomicU64::new(0),
        });
        // Some file systems cannot punch holes: try once before relying on it.
        let probe = vec![b'x'; BLOCK as usize];
        write_at(&spill.file, &probe, 0).ok()?;
        spill.end.store(BLOCK, Ordering::Relaxed);
        punch_hole(&spill.file, 0, BLOCK).then_some(spill)
    }

    /// Writes `packed` after the last entry.
    pub fn put(self: &Arc<Self>, packed: &Packed) -> io::Result<Spilled> {
        let bytes = packed.as_bytes();
        let len = bytes.len() as u64;
        let offset = self
            .end
            .fetch_add(len.div_ceil(BLOCK) * BLOCK, Ordering::Relaxed);
        if let Err(e) = write_at(&self.file, bytes, offset) {
            punch_hole(&self.file, offset, len);
            return Err(e);
        }
        Ok(Spilled(Arc::new(Entry {
            spill: self.clone(),
            offset,
            len,
            hash: hash(bytes),
        })))
    }

    /// How many bytes of the file hold entries (the rest are holes).
    pub fn allocated(&self) -> u64 {
        allocated(&self.file)
    }
}

/// One entry of a [`Spill`]: cheap to clone; its space goes back when the
/// last clone is dropped.
#[derive(Clone)]
pub struct Spilled(Arc<Entry>);

struct Entry {
    spill: Arc<Spill>,
    offset: u64,
    len: u64,
    /// BLAKE3 of the packed bytes (compression is deterministic: equal texts
    /// pack to equal bytes), truncated to 128 bits.
    hash: [u8; 16],
}

impl Drop for Entry {
    fn drop(&mut self) {
        punch_hole(&self.spill.file, self.offset, self.len);
    }
}

impl Spilled {
    /// The text, read back and unpacked. An error when the file cannot be
    /// read, or does not give back the bytes written (checked by their hash).
    pub fn text(&self) -> io::Result<String> {
        let e = &self.0;
        let mut bytes = vec![0; e.len as usize];
        read_at(&e.spill.file, &mut bytes, e.offset)?;
        if hash(&bytes) != e.hash {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the preview's temporary file did not give back what was written to it",
            ));
        }
        Ok(Packed::from_bytes(bytes).text())
    }

    /// A hash of the text (equal for equal texts).
    pub fn hash(&self) -> [u8; 16] {
        self.0.hash
    }
}

impl PartialEq for Spilled {
    fn eq(&self, other: &Spilled) -> bool {
        self.0.len == other.0.len && self.0.hash == other.0.hash
    }
}

fn hash(bytes: &[u8]) -> [u8; 16] {
    let full = blake3::hash(bytes);
    let mut h = [0; 16];
    h.copy_from_slice(&full.as_bytes()[..16]);
    h
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
}

#[cfg(unix)]
fn read_at(file: &File, bytes: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, offset)
}

#[cfg(not(unix))]
fn write_at(_: &File, _: &[u8], _: u64) -> io::Result<()> {
    Err(io::Error::other("not used on this system"))
}

#[cfg(not(unix))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> io::Result<()> {
    Err(io::Error::other("not used on this system"))
}

/// Gives the blocks of `offset..offset + len` (rounded up to whole blocks:
/// the rest of the last one belongs to no entry) back to the file system;
/// whether it could.
#[cfg(target_os = "linux")]
fn punch_hole(file: &File, offset: u64, len: u64) -> bool {
    use std::os::fd::AsRawFd;
    let whole = len.div_ceil(BLOCK) * BLOCK;
    let (Ok(offset), Ok(whole)) = (libc::off_t::try_from(offset), libc::off_t::try_from(whole))
    else {
        return false;
    };
    // SAFETY: fallocate on a file descriptor this process owns and keeps
    // open for as long as `file` lives; it takes no pointers.
    unsafe {
        libc::fallocate(
            file.as_raw_fd(),
            libc::FALLOC_FL_PUNCH_HOLE | libc::FALLOC_FL_KEEP_SIZE,
            offset,
            whole,
        ) == 0
    }
}

#[cfg(not(target_os = "linux"))]
fn punch_hole(_: &File, _: u64, _: u64) -> bool {
    false
}

#[cfg(unix)]
fn allocated(file: &File) -> u64 {
    use std::os::unix::fs::MetadataExt;
    file.metadata().map_or(0, |m| m.blocks() * 512)
}

#[cfg(not(unix))]
fn allocated(_: &File) -> u64 {
    0
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn page(n: usize) -> String {
        // Varied enough not to pack into a few bytes.
        (0..2000)
            .map(|i| format!("<p>{}</p>", (i * 7919 + n * 104729) % 1_000_003))
            .collect()
    }

    #[test]
    fn texts_come_back_whole_and_compare_by_content() {
        let Some(spill) = Spill::new() else {
            return; // this file system cannot punch holes: nothing is spilled
        };
        let a = spill.put(&Packed::new(&page(1))).unwrap();
        let b = spill.put(&Packed::new(&page(2))).unwrap();
        let a2 = spill.put(&Packed::new(&page(1))).unwrap();
        assert_eq!(a.text().unwrap(), page(1));
        assert_eq!(b.text().unwrap(), page(2));
        assert!(a == a2, "the same text in two entries");
        assert!(a != b);
        let empty = spill.put(&Packed::new("")).unwrap();
        assert_eq!(empty.text().unwrap(), "");
    }

    /// Entries dropped give their blocks back: the file holds what is live,
    /// not everything ever written to it.
    #[test]
    fn dropped_entries_give_their_space_back() {
        let Some(spill) = Spill::new() else {
            return;
        };
        let kept: Vec<Spilled> = (0..20)
            .map(|n| spill.put(&Packed::new(&page(n))).unwrap())
            .collect();
        let live = spill.allocated();
        for round in 0..10 {
            let gone: Vec<Spilled> = (0..200)
                .map(|n| spill.put(&Packed::new(&page(1000 * round + n))).unwrap())
                .collect();
            assert!(spill.allocated() > live);
            drop(gone);
        }
        assert_eq!(spill.allocated(), live, "only the kept entries hold blocks");
        for (n, e) in kept.iter().enumerate() {
            assert_eq!(e.text().unwrap(), page(n));
        }
    }

    /// Bytes changed in the file behind the preview's back are an error when
    /// read, never another page or a panic.
    #[test]
    fn bytes_changed_in_the_file_are_an_error() {
        let Some(spill) = Spill::new() else {
            return;
        };
        let e = spill.put(&Packed::new(&page(3))).unwrap();
        write_at(&spill.file, b"garbage", e.0.offset + 10).unwrap();
        let err = e.text().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }
}
