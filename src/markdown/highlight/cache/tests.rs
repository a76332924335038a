//! Unit tests of the highlight cache's storage: packs written and read back,
//! broken packs and entries left out and merged away, the size bound.
#![cfg(test)]

use super::*;

fn key(n: u8) -> Key {
    let mut k = [0; 32];
    k[0] = n;
    k[31] = n.wrapping_mul(7);
    k
}

fn html(n: u8) -> Arc<str> {
    format!(
        "<span class=\"hl-source\">block {n} {}</span>",
        "x".repeat(n as usize)
    )
    .into()
}

/// The packs in the cache's folder, sorted.
fn packs(c: &DiskCache) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(c.dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("pack-")
        })
        .collect();
    v.sort();
    v
}

/// A build: looks every key up, puts what was missing, saves.
fn run(dir: &Path, max: u64, keys: &[u8]) -> Stats {
    let c = DiskCache::new(dir, max);
    for &n in keys {
        match c.get(&key(n)) {
            Some(h) => assert_eq!(h, html(n), "entry {n}"),
            None => c.put(key(n), &html(n)),
        }
    }
    c.save().unwrap()
}

#[test]
fn entries_come_back_from_a_new_process() {
    let tmp = tempfile::tempdir().unwrap();
    let s = run(tmp.path(), 1 << 20, &[1, 2, 3]);
    assert_eq!((s.hits, s.misses, s.written, s.merged), (0, 3, 3, false));
    let s = run(tmp.path(), 1 << 20, &[1, 2, 3]);
    assert_eq!((s.hits, s.misses, s.written), (3, 0, 0));
    let c = DiskCache::new(tmp.path(), 1 << 20);
    assert_eq!(packs(&c).len(), 1);
    // The folder says what it is.
    assert!(tmp.path().join("CACHEDIR.TAG").is_file());
    assert_eq!(
        std::fs::read_to_string(tmp.path().join(".gitignore")).unwrap(),
        "# The cache of gen (Byline): never committed.\n*\n"
    );
    // Nothing left under a temporary name.
    let names: Vec<String> = std::fs::read_dir(c.dir())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| n.starts_with("pack-")), "{names:?}");
}

#[test]
fn a_build_that_highlights_nothing_touches_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let c = DiskCache::new(&tmp.path().join("cache"), 1 << 20);
    assert_eq!(c.save().unwrap(), Stats::default());
    assert!(!tmp.path().join("cache").exists());
}

#[test]
fn a_pack_round_trips_through_its_encoding() {
    let entries: Vec<Meta> = (1..=3)
        .map(|n| Meta::of(key(n), 40 + u64::from(n), html(n).as_bytes()))
        .collect();
    let mut bytes = encode_head(&entries);
    for n in 1..=3 {
        bytes.extend_from_slice(html(n).as_bytes());
    }
    let head = &bytes[..HEADER];
    let index = &bytes[HEADER..HEADER + 3 * ENTRY];
    let decoded = decode_index(head, index, bytes.len() as u64).unwrap();
    assert_eq!(decoded.len(), 3);
    let mut offset = 0;
    for ((k, slot), n) in decoded.iter().zip(1u8..) {
        assert_eq!(*k, key(n));
        assert_eq!(slot.stamp, 40 + u64::from(n));
        assert_eq!(slot.offset, offset);
        assert_eq!(slot.len as usize, html(n).len());
        let start = HEADER + 3 * ENTRY + offset as usize;
        assert_eq!(&bytes[start..start + slot.len as usize], html(n).as_bytes());
        offset += u64::from(slot.len);
    }
    // One byte less or more is not this pack.
    assert!(decode_index(head, index, bytes.len() as u64 - 1).is_none());
    assert!(decode_index(head, index, bytes.len() as u64 + 1).is_none());
    // Another format version is not read.
    let mut other = head.to_vec();
    other[7] = 1;
    assert!(decode_index(&other, index, bytes.len() as u64).is_none());
    // A changed index fails its checksum.
    let mut bad = index.to_vec();
    bad[40] ^= 1;
    assert!(decode_index(head, &bad, bytes.len() as u64).is_none());
}

/// Breaks the only pack of the cache at `dir` with `spoil`, then checks that
/// the next build finds nothing, highlights everything again, and leaves one
/// good pack that the build after finds whole.
fn broken_pack_is_rebuilt(spoil: impl Fn(&Path)) {
    let tmp = tempfile::tempdir().unwrap();
    run(tmp.path(), 1 << 20, &[1, 2, 3]);
    let c = DiskCache::new(tmp.path(), 1 << 20);
    let [pack] = packs(&c).try_into().unwrap();
    spoil(&pack);
    let s = run(tmp.path(), 1 << 20, &[1, 2, 3]);
    assert_eq!((s.hits, s.misses, s.merged), (0, 3, true));
    assert!(!pack.exists() || packs(&c) == [pack.clone()]);
    assert_eq!(packs(&c).len(), 1);
    let s = run(tmp.path(), 1 << 20, &[1, 2, 3]);
    assert_eq!((s.hits, s.misses, s.written), (3, 0, 0));
}

#[test]
fn a_truncated_pack_is_ignored_and_replaced() {
    broken_pack_is_rebuilt(|p| {
        let len = std::fs::metadata(p).unwrap().len();
        File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_len(len - 10)
            .unwrap();
    });
}

#[test]
fn a_garbage_pack_is_ignored_and_replaced() {
    broken_pack_is_rebuilt(|p| std::fs::write(p, b"not a pack at all, just text\n").unwrap());
    broken_pack_is_rebuilt(|p| std::fs::write(p, b"").unwrap());
    // A header that claims a huge index.
    broken_pack_is_rebuilt(|p| {
        let mut b = std::fs::read(p).unwrap();
        b[8..16].copy_from_slice(&u64::MAX.to_le_bytes());
        std::fs::write(p, b).unwrap();
    });
}

#[test]
fn a_pack_of_another_version_is_ignored_and_replaced() {
    broken_pack_is_rebuilt(|p| {
        let mut b = std::fs::read(p).unwrap();
        b[7] = 9;
        std::fs::write(p, b).unwrap();
    });
}

#[test]
fn a_changed_entry_is_highlighted_again_and_the_rest_kept() {
    let tmp = tempfile::tempdir().unwrap();
    run(tmp.path(), 1 << 20, &[1, 2, 3]);
    let c = DiskCache::new(tmp.path(), 1 << 20);
    let [pack] = packs(&c).try_into().unwrap();
    let mut b = std::fs::read(&pack).unwrap();
    // The last byte of the data: entry 3's.
    let last = b.len() - 1;
    b[last] ^= 0x20;
    std::fs::write(&pack, b).unwrap();
    let s = run(tmp.path(), 1 << 20, &[1, 2, 3]);
    assert_eq!((s.hits, s.misses, s.broken, s.merged), (2, 1, 1, true));
    let s = run(tmp.path(), 1 << 20, &[1, 2, 3]);
    assert_eq!((s.hits, s.misses, s.broken), (3, 0, 0));
    assert_eq!(packs(&c).len(), 1);
}

#[test]
fn packs_are_merged_when_there_are_too_many() {
    let tmp = tempfile::tempdir().unwrap();
    for n in 0..MAX_PACKS as u8 {
        let s = run(tmp.path(), 1 << 20, &[n]);
        assert!(!s.merged, "build {n}");
    }
    let c = DiskCache::new(tmp.path(), 1 << 20);
    assert_eq!(packs(&c).len(), MAX_PACKS);
    let s = run(tmp.path(), 1 << 20, &[100]);
    assert!(s.merged);
    assert_eq!(s.written, MAX_PACKS + 1);
    assert_eq!(packs(&c).len(), 1);
    let all: Vec<u8> = (0..MAX_PACKS as u8).chain([100]).collect();
    let s = run(tmp.path(), 1 << 20, &all);
    assert_eq!((s.hits, s.misses), (all.len(), 0));
}

#[test]
fn the_size_bound_drops_what_this_build_did_not_use_first() {
    let tmp = tempfile::tempdir().unwrap();
    let size = |n: u8| (pack(&html(n)).len() + ENTRY) as u64;
    // Room for the header and entries 10, 11 and 12, not more.
    let max = HEADER as u64 + size(10) + size(11) + size(12) + 5;
    run(tmp.path(), max, &[10, 11]);
    // Entry 12 is new; 10 is used again, 11 not: over the bound, so the
    // packs are merged and 11 (unused) goes, older entries filling only
    // 80 % of the bound.
    let s = run(tmp.path(), max, &[10, 12, 13]);
    assert!(s.merged, "{s:?}");
    assert!(s.evicted >= 1, "{s:?}");
    let c = DiskCache::new(tmp.path(), max);
    assert!(c.get(&key(10)).is_some());
    assert!(c.get(&key(12)).is_some());
    assert!(c.get(&key(11)).is_none());
    let bytes: u64 = packs(&c)
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();
    assert!(bytes <= max, "{bytes} > {max}");
}

#[test]
fn a_stale_temporary_file_is_removed_and_a_fresh_one_left() {
    let tmp = tempfile::tempdir().unwrap();
    run(tmp.path(), 1 << 20, &[1]);
    let dir = tmp.path().join(SUBDIR);
    let fresh = dir.join(".tmp-1-0-abc");
    std::fs::write(&fresh, b"being written").unwrap();
    run(tmp.path(), 1 << 20, &[2]);
    assert!(fresh.exists());
    let stale = dir.join(".tmp-2-0-def");
    std::fs::write(&stale, b"left over").unwrap();
    let old = SystemTime::now() - std::time::Duration::from_secs(2 * STALE_TEMP_SECS);
    File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(old)
        .unwrap();
    run(tmp.path(), 1 << 20, &[3]);
    assert!(!stale.exists());
    assert!(fresh.exists());
}

#[test]
fn two_caches_at_once_lose_nothing() {
    // Two builds read the same full folder, each makes its own entries, and
    // both merge, the second reading packs the first has removed: every
    // entry is there afterwards.
    let tmp = tempfile::tempdir().unwrap();
    for n in 0..MAX_PACKS as u8 {
        run(tmp.path(), 1 << 20, &[n]);
    }
    let a = DiskCache::new(tmp.path(), 1 << 20);
    let b = DiskCache::new(tmp.path(), 1 << 20);
    for (c, n) in [(&a, 50), (&b, 60)] {
        assert!(c.get(&key(n)).is_none());
        c.put(key(n), &html(n));
        assert_eq!(c.get(&key(0)), Some(html(0)));
    }
    let sa = a.save().unwrap();
    let sb = b.save().unwrap();
    assert!(sa.merged && sb.merged, "{sa:?} {sb:?}");
    assert_eq!(sb.written, MAX_PACKS + 1);
    let all: Vec<u8> = (0..MAX_PACKS as u8).chain([50, 60]).collect();
    let s = run(tmp.path(), 1 << 20, &all);
    assert_eq!((s.hits, s.misses), (all.len(), 0));
}

#[test]
fn one_cache_saved_after_every_build_reads_the_folder_again() {
    // gen serve keeps one cache and saves after each rebuild: after a merge,
    // the next save adds a pack to the merged one rather than merging again.
    let tmp = tempfile::tempdir().unwrap();
    for n in 0..MAX_PACKS as u8 {
        run(tmp.path(), 1 << 20, &[n]);
    }
    let c = DiskCache::new(tmp.path(), 1 << 20);
    for (n, merged) in [(40, true), (41, false), (42, false)] {
        assert!(c.get(&key(n)).is_none());
        c.put(key(n), &html(n));
        assert_eq!(c.save().unwrap().merged, merged, "entry {n}");
        assert_eq!(c.get(&key(n)), Some(html(n)));
    }
    assert_eq!(packs(&c).len(), 3);
    let all: Vec<u8> = (0..MAX_PACKS as u8).chain([40, 41, 42]).collect();
    let s = run(tmp.path(), 1 << 20, &all);
    assert_eq!((s.hits, s.misses), (all.len(), 0));
}

#[test]
fn entries_are_stored_compressed_and_checked_when_restored() {
    let html = html(200).repeat(20);
    let stored = pack(&html);
    assert!(
        stored.len() * 4 < html.len(),
        "{} of {}",
        stored.len(),
        html.len()
    );
    assert_eq!(unpack(&stored).as_deref(), Some(html.as_str()));
    // A length that no LZ4 block could expand to, garbage, too short.
    let mut huge = stored.clone();
    huge[..4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(unpack(&huge), None);
    assert_eq!(unpack(&stored[..stored.len() / 2]), None);
    assert_eq!(unpack(b"\x01\x00"), None);
    // Not UTF-8 is not HTML.
    assert_eq!(unpack(&lz4_flex::compress_prepend_size(b"\xff\xfe")), None);
}

/// A cold build made 45 MB of entries at 10,000 posts and held them to the
/// end: they wait in a temporary file, and come back from it for the build's
/// own repeats and for the save.
#[test]
fn a_builds_entries_wait_in_a_temporary_file_not_in_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let c = DiskCache::new(tmp.path(), 1 << 20);
    for n in 0..50 {
        c.put(key(n), &html(n));
    }
    // Put again (another thread highlighted the same block): kept once.
    c.put(key(7), &html(7));
    {
        let f = c.fresh.lock().unwrap();
        assert!(f.held.is_empty());
        assert_eq!(f.at.len(), 50);
    }
    assert_eq!(c.get(&key(7)), Some(html(7)));
    let s = c.save().unwrap();
    assert_eq!(s.written, 50);
    let again = DiskCache::new(tmp.path(), 1 << 20);
    for n in 0..50 {
        assert_eq!(again.get(&key(n)), Some(html(n)), "entry {n}");
    }
    // Nothing of it in the cache's folder but the pack.
    assert_eq!(packs(&again).len(), 1);
    assert_eq!(std::fs::read_dir(again.dir()).unwrap().count(), 1);
}
