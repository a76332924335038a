//! The highlight cache on disk: highlighted code blocks kept between runs, so
//! that a rebuild (in CI, with the folder restored by the platform's cache
//! action) highlights only the code that changed.
//!
//! Highlighting is most of a build's work on a blog with code; its result is a
//! pure function of the code, the syntax it is read with, the CSS class style
//! and the program, which together make the key (a BLAKE3 hash: see
//! [`Key`]). The colour palettes are not part of it: the HTML names classes,
//! and the palettes are in the generated stylesheet, which is not cached.
//!
//! The folder (`.byline-cache/highlight/` in the site by default) holds a few
//! **pack files**, each written whole under a temporary name and renamed into
//! place, so a reader never sees a half-written one and two builds at once
//! never write the same file. A pack is a header, an index (key, last use,
//! offset, length and checksum of each entry) and the entries' HTML,
//! compressed with LZ4 (a tenth of its size, restored faster than read). A build
//! reads the indexes once, on its first code block, into a map that its
//! threads share without locks; an entry's HTML is read from its pack when
//! asked for and checked against its checksum. Anything that does not check
//! out (a truncated or garbled pack, a pack of another format, an entry whose
//! bytes changed) is left out and highlighted again, never an error.
//!
//! At the end of a build ([`DiskCache::save`]) the entries made in it go into
//! one new pack. When there would be more than [`MAX_PACKS`] packs, the folder
//! would grow over its size bound, or a pack was found broken, the packs are
//! merged into one instead: the entries this build used or made first, then
//! the others from the most recently used, up to the bound; the rest are
//! dropped. Packs are never changed in place, only replaced, so a build that
//! reads a pack another one is merging away keeps reading its open file.

use std::collections::HashMap;
use std::fs::File;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

/// The folder the cache goes in, relative to the site root, unless the config
/// (`[cache] dir`) or the environment ([`ENV_DIR`]) names another.
pub const DEFAULT_DIR: &str = ".byline-cache";

/// The environment variable that names the cache folder (relative to the site
/// root, or absolute); it wins over `[cache] dir`.
pub const ENV_DIR: &str = "BYLINE_CACHE_DIR";

/// The default bound of the highlight cache, in megabytes (`[cache] max_size_mb`).
pub const DEFAULT_MAX_MB: u64 = 200;

/// The most packs the folder holds before they are merged into one.
pub const MAX_PACKS: usize = 8;

/// Folders of a site the cache may not be in: the sources and the default
/// output.
const SOURCE_FOLDERS: &[&str] = &[
    "content",
    "authors",
    "static",
    "templates",
    "themes",
    "syntaxes",
    "public",
];

/// The subfolder of the cache folder that holds the highlight packs.
const SUBDIR: &str = "highlight";

/// Start of every pack; the last byte is the format's version: a pack of
/// another version is ignored (and merged away). Version 2 stores entries
/// compressed with LZ4.
const MAGIC: &[u8; 8] = b"BYLNHLC\x02";

/// Magic, entry count, data length, checksum of the index.
const HEADER: usize = 8 + 8 + 8 + 32;

/// Key, last use, offset, length, checksum.
const ENTRY: usize = 32 + 8 + 8 + 4 + 16;

/// Temporary packs older than this are left over from a build that stopped
/// midway, and removed.
const STALE_TEMP_SECS: u64 = 3600;

/// Whether this process uses the cache (`--no-cache` turns it off).
static DISABLED: AtomicBool = AtomicBool::new(false);

/// Turns the cache off for this process: `--no-cache`. Nothing is read from
/// or written to the cache folder.
pub fn disable() {
    DISABLED.store(true, Ordering::Relaxed);
}

/// Whether [`disable`] was called.
pub fn disabled() -> bool {
    DISABLED.load(Ordering::Relaxed)
}

/// Where the cache is and how big it may grow (`[cache]` in gen.toml).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The cache folder: relative to the site root, or absolute.
    pub dir: PathBuf,
    /// The bound of the highlight packs together, in bytes.
    pub max_bytes: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            dir: PathBuf::from(DEFAULT_DIR),
            max_bytes: DEFAULT_MAX_MB * 1024 * 1024,
        }
    }
}

/// What identifies one highlighted block: a BLAKE3 hash of the program's
/// version, the syntax set's identity, the class style, the syntax's name and
/// the code (see `highlight::cache_key`).
pub type Key = [u8; 32];

/// Keys are already uniform hashes: their first eight bytes are the map's hash.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // `[u8; 32]` hashes as its bytes (after no length prefix for arrays).
        for (i, b) in bytes.iter().take(8).enumerate() {
            self.0 ^= u64::from(*b) << (8 * i);
        }
    }
}

type KeyMap<V> = HashMap<Key, V, BuildHasherDefault<KeyHasher>>;

/// One entry of a pack's index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    pack: u32,
    /// Seconds since the epoch of the build that last saved it as used.
    stamp: u64,
    /// From the start of the pack's data.
    offset: u64,
    len: u32,
    sum: [u8; 16],
}

/// A pack that was read: its file, open for the build, and where its data starts.
struct Pack {
    path: PathBuf,
    file: File,
    data_start: u64,
}

/// The indexes of the packs, read on the first lookup.
#[derive(Default)]
struct Index {
    packs: Vec<Pack>,
    map: KeyMap<u32>,
    slots: Vec<(Key, Slot)>,
    /// Which slots this build used; they go first when packs are merged.
    used: Vec<AtomicBool>,
    /// Bytes of the packs read (all of them, broken ones included).
    bytes: u64,
    /// Files in the folder that are not packs of this format (broken, of
    /// another version, left over): merging removes them.
    bad: Vec<PathBuf>,
}

/// What a build did with the cache (`gen build -v`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stats {
    pub hits: usize,
    pub misses: usize,
    /// Entries found broken and highlighted again.
    pub broken: usize,
    /// Entries written by [`DiskCache::save`].
    pub written: usize,
    /// Whether [`DiskCache::save`] merged the packs.
    pub merged: bool,
    /// Entries dropped by the size bound when merging.
    pub evicted: usize,
}

/// The highlight cache of one site, shared by a build's threads.
pub struct DiskCache {
    dir: PathBuf,
    max_bytes: u64,
    /// The packs' indexes, read on the first lookup and again after a save
    /// that changed the folder (`gen serve` saves after every build).
    index: RwLock<Option<Arc<Index>>>,
    /// Blocks highlighted in this build, compressed as stored, waiting for
    /// [`DiskCache::save`].
    fresh: Mutex<Fresh>,
    hits: AtomicUsize,
    misses: AtomicUsize,
    broken: AtomicUsize,
}

/// The blocks a build highlighted, written to an unnamed temporary file as
/// they are made rather than held: a cold 10,000-post build makes 45 MB of
/// them (compressed), which it held to the end, past its peak. `save` reads
/// them back once the pages are written.
#[derive(Default)]
struct Fresh {
    /// Where each entry is in `file`: offset and length.
    at: KeyMap<(u64, usize)>,
    /// The temporary file (deleted by the system when closed), made on the
    /// first entry.
    file: Option<File>,
    /// Bytes written to `file`.
    len: u64,
    /// Entries held in memory: when no temporary file could be made or
    /// written (they are kept all the same).
    held: KeyMap<Vec<u8>>,
    /// Whether entries go to `held` from now on.
    in_memory: bool,
}

impl Fresh {
    fn contains(&self, key: &Key) -> bool {
        self.at.contains_key(key) || self.held.contains_key(key)
    }

    /// Keeps `stored` under `key`: in the temporary file, else in memory.
    fn put(&mut self, key: Key, stored: Vec<u8>) {
        if self.file.is_none() && !self.in_memory {
            self.file = tempfile::tempfile().ok();
            self.in_memory = self.file.is_none();
        }
        if !self.in_memory
            && let Some(file) = &mut self.file
        {
            let written = file
                .seek(SeekFrom::Start(self.len))
                .and_then(|_| file.write_all(&stored));
            if written.is_ok() {
                self.at.insert(key, (self.len, stored.len()));
                self.len += stored.len() as u64;
                return;
            }
            // A full or failing disk: what is in the file stays readable,
            // and the entries from here on are held.
            self.in_memory = true;
        }
        self.held.insert(key, stored);
    }

    /// The stored bytes of `key`, if this build made it.
    fn get(&mut self, key: &Key) -> Option<Vec<u8>> {
        if let Some(b) = self.held.get(key) {
            return Some(b.clone());
        }
        let &(offset, len) = self.at.get(key)?;
        let file = self.file.as_mut()?;
        let mut buf = vec![0; len];
        file.seek(SeekFrom::Start(offset))
            .and_then(|_| file.read_exact(&mut buf))
            .ok()?;
        Some(buf)
    }

    /// Every entry, sorted by key, leaving nothing; an entry that cannot be
    /// read back is left out (highlighted again by a later build).
    fn take(&mut self) -> Vec<(Key, Vec<u8>)> {
        let keys: Vec<Key> = self.at.keys().copied().collect();
        let mut all: Vec<(Key, Vec<u8>)> = keys
            .into_iter()
            .filter_map(|k| self.get(&k).map(|b| (k, b)))
            .collect();
        all.extend(self.held.drain());
        all.sort_by_key(|e| e.0);
        *self = Fresh::default();
        all
    }
}

impl std::fmt::Debug for DiskCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DiskCache({})", self.dir.display())
    }
}

/// The cache folder of the site at `root`, or why there is none: the message
/// names a folder that leads outside the site. `Ok(None)` when the cache is
/// turned off. A relative folder must stay inside the site, symbolic links
/// followed; an absolute one is the user's explicit choice.
pub fn folder(root: &Path, settings: &Settings) -> Result<Option<PathBuf>, String> {
    if disabled() {
        return Ok(None);
    }
    let dir = match std::env::var_os(ENV_DIR) {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => settings.dir.clone(),
    };
    if dir.is_absolute() {
        return Ok(Some(dir));
    }
    let text = dir.to_string_lossy();
    let joined = crate::sitefs::join_inside(Path::new(""), &text)
        .map_err(|e| format!("the cache folder \"{text}\": {e}"))?;
    // Never among what the site publishes or reads as its sources.
    if let Some(std::path::Component::Normal(first)) = joined.components().next()
        && let Some(f) = SOURCE_FOLDERS.iter().find(|f| first.to_str() == Some(**f))
    {
        return Err(format!(
            "the cache folder \"{text}\" is inside {f}/, which gen reads as the site's own files or writes its output to"
        ));
    }
    if joined.as_os_str().is_empty() {
        return Err("the cache folder is the site folder itself".into());
    }
    // The folder, or the part of it that exists, must lead inside the site.
    let gate = crate::sitefs::SiteFs::open(root).map_err(|e| e.to_string())?;
    let mut existing = joined.clone();
    loop {
        match gate.resolve(&existing) {
            Ok(Some(_)) => break,
            Ok(None) if existing.pop() => continue,
            Ok(None) => break,
            Err(e) => return Err(format!("the cache folder: {e}")),
        }
    }
    Ok(Some(root.join(joined)))
}

impl DiskCache {
    /// The cache in the folder `dir` (made when first saved), bounded to
    /// `max_bytes`. Nothing is read until the first lookup.
    pub fn new(dir: &Path, max_bytes: u64) -> DiskCache {
        DiskCache {
            dir: dir.join(SUBDIR),
            max_bytes,
            index: RwLock::new(None),
            fresh: Mutex::default(),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            broken: AtomicUsize::new(0),
        }
    }

    /// The folder that holds the packs.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The indexes as read; a read lock and a reference count per lookup.
    fn index(&self) -> Arc<Index> {
        if let Some(i) = self.loaded() {
            return i;
        }
        let mut w = self.index.write().unwrap_or_else(|e| e.into_inner());
        w.get_or_insert_with(|| Arc::new(Index::read(&self.dir)))
            .clone()
    }

    /// The indexes, if they were read.
    fn loaded(&self) -> Option<Arc<Index>> {
        self.index.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The HTML stored for `key`, if a pack has it and it checks out.
    pub fn get(&self, key: &Key) -> Option<Arc<str>> {
        let stored = self.fresh.lock().ok().and_then(|mut f| f.get(key));
        if let Some(html) = stored.and_then(|b| unpack(&b)) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Some(html);
        }
        let index = self.index();
        let Some(&i) = index.map.get(key) else {
            self.misses.fetch_add(1, Ordering::Relaxed);
            return None;
        };
        match index.value(i as usize) {
            Some(html) => {
                index.used[i as usize].store(true, Ordering::Relaxed);
                self.hits.fetch_add(1, Ordering::Relaxed);
                Some(html)
            }
            None => {
                self.broken.fetch_add(1, Ordering::Relaxed);
                self.misses.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }

    /// Keeps a block highlighted in this build, for [`DiskCache::save`].
    pub fn put(&self, key: Key, html: &str) {
        // Compressed here, on the thread that highlighted it.
        let stored = pack(html);
        if let Ok(mut f) = self.fresh.lock()
            && !f.contains(&key)
        {
            f.put(key, stored);
        }
    }

    /// Writes what this build made into the folder, merging the packs when
    /// there are too many, they grew over the bound or one was broken. Errors
    /// leave the cache as it was (a later build highlights again).
    pub fn save(&self) -> std::io::Result<Stats> {
        let fresh: Vec<(Key, Vec<u8>)> = match self.fresh.lock() {
            Ok(mut f) => f.take(),
            Err(_) => Vec::new(),
        };
        let stats = Stats {
            hits: self.hits.swap(0, Ordering::Relaxed),
            misses: self.misses.swap(0, Ordering::Relaxed),
            broken: self.broken.swap(0, Ordering::Relaxed),
            ..Stats::default()
        };
        // A build that highlighted nothing never read the folder: nothing to do.
        let clean = |i: Arc<Index>| stats.broken == 0 && i.bad.is_empty();
        if fresh.is_empty() && self.loaded().is_none_or(clean) {
            return Ok(stats);
        }
        let result = self.save_with(&self.index(), &fresh, stats);
        // The folder changed: the next build reads it again.
        *self.index.write().unwrap_or_else(|e| e.into_inner()) = None;
        result
    }

    fn save_with<'a>(
        &self,
        index: &Index,
        fresh: &'a [(Key, Vec<u8>)],
        mut stats: Stats,
    ) -> std::io::Result<Stats> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let fresh_bytes: u64 = fresh.iter().map(|(_, h)| (h.len() + ENTRY) as u64).sum();
        let merge = index.packs.len() + 1 > MAX_PACKS
            || index.bytes + fresh_bytes > self.max_bytes
            || stats.broken > 0
            || !index.bad.is_empty();
        std::fs::create_dir_all(&self.dir)?;
        mark_folder(self.dir.parent().unwrap_or(&self.dir));
        if !merge {
            let metas: Vec<Meta> = fresh.iter().map(|(k, h)| Meta::of(*k, now, h)).collect();
            stats.written = metas.len();
            write_pack(&self.dir, &metas, |n| Some(fresh[n].1.clone()))?;
            return Ok(stats);
        }
        // Merging: this build's entries first (made, then used), then the
        // others from the most recently used; ties by key, so the choice
        // does not depend on the order packs were read in.
        let mut others: Vec<usize> = (0..index.slots.len())
            .filter(|&i| !index.used[i].load(Ordering::Relaxed))
            .collect();
        others.sort_by(|&a, &b| {
            let (ka, sa) = &index.slots[a];
            let (kb, sb) = &index.slots[b];
            sb.stamp.cmp(&sa.stamp).then(ka.cmp(kb))
        });
        let used = (0..index.slots.len()).filter(|&i| index.used[i].load(Ordering::Relaxed));
        let mut seen: KeyMap<()> = KeyMap::default();
        let mut kept: Vec<(Meta, Source<'a>)> = Vec::new();
        let mut total = HEADER as u64;
        let mut evicted = 0;
        // What this build used may fill the bound; older entries only 80 % of
        // it, so that the next builds add packs before merging again.
        let low_water = self.max_bytes / 5 * 4;
        let mut take = |meta: Meta, source: Source<'a>, ours: bool| {
            if seen.insert(meta.key, ()).is_some() {
                return;
            }
            let size = u64::from(meta.len) + ENTRY as u64;
            if total + size > if ours { self.max_bytes } else { low_water } {
                evicted += 1;
                return;
            }
            total += size;
            kept.push((meta, source));
        };
        for (key, html) in fresh {
            let meta = Meta::of(*key, now, html);
            take(meta, Source::Fresh(html), true);
        }
        let ours = used.map(|i| (i, now, true));
        let older = others.iter().map(|&i| (i, index.slots[i].1.stamp, false));
        for (i, stamp, ours) in ours.chain(older) {
            // An entry that no longer checks out is dropped (read here to
            // check it, and again when written: one at a time in memory).
            if index.stored(i).is_some() {
                let (key, slot) = &index.slots[i];
                let meta = Meta {
                    key: *key,
                    stamp,
                    len: slot.len,
                    sum: slot.sum,
                };
                take(meta, Source::Slot(i), ours);
            }
        }
        stats.evicted = evicted;
        stats.written = kept.len();
        stats.merged = true;
        let metas: Vec<Meta> = kept.iter().map(|(m, _)| *m).collect();
        let written = write_pack(&self.dir, &metas, |n| match &kept[n].1 {
            Source::Fresh(stored) => Some(stored.to_vec()),
            Source::Slot(i) => index.stored(*i),
        })?;
        // Only what this build read is removed: a pack another build wrote
        // meanwhile stays (its entries may be duplicates; the next merge
        // drops them).
        for p in index.packs.iter().map(|p| &p.path).chain(&index.bad) {
            if *p != written {
                let _ = std::fs::remove_file(p);
            }
        }
        Ok(stats)
    }
}

impl Index {
    /// Reads the index of every pack in `dir`; what cannot be read is left
    /// out (an absent folder is an empty cache).
    fn read(dir: &Path) -> Index {
        let mut index = Index::default();
        let Ok(list) = std::fs::read_dir(dir) else {
            return index;
        };
        let mut names: Vec<PathBuf> = list.flatten().map(|e| e.path()).collect();
        names.sort();
        let now = SystemTime::now();
        for path in names {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with(".tmp-") {
                // Another build's pack being written, unless it is old.
                let old = std::fs::metadata(&path)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| now.duration_since(t).ok())
                    .is_some_and(|d| d.as_secs() > STALE_TEMP_SECS);
                if old {
                    index.bad.push(path);
                }
                continue;
            }
            if !(name.starts_with("pack-") && name.ends_with(".bin")) {
                continue;
            }
            let len = std::fs::metadata(&path).map_or(0, |m| m.len());
            index.bytes += len;
            match read_pack(&path) {
                Some((file, data_start, entries)) => {
                    let pack = index.packs.len() as u32;
                    index.packs.push(Pack {
                        path,
                        file,
                        data_start,
                    });
                    for (key, mut slot) in entries {
                        slot.pack = pack;
                        // Two packs may hold one key (two builds at once).
                        if let std::collections::hash_map::Entry::Vacant(v) = index.map.entry(key) {
                            v.insert(index.slots.len() as u32);
                            index.slots.push((key, slot));
                        }
                    }
                }
                None => index.bad.push(path),
            }
        }
        index.used = (0..index.slots.len())
            .map(|_| AtomicBool::new(false))
            .collect();
        index
    }

    /// The HTML of slot `i`, read from its pack, if it checks out.
    fn value(&self, i: usize) -> Option<Arc<str>> {
        unpack(&self.stored(i)?)
    }

    /// The bytes of slot `i` as stored (compressed), if they check out.
    fn stored(&self, i: usize) -> Option<Vec<u8>> {
        let (_, slot) = self.slots.get(i)?;
        let pack = self.packs.get(slot.pack as usize)?;
        let mut buf = vec![0; slot.len as usize];
        read_at(&pack.file, &mut buf, pack.data_start + slot.offset).ok()?;
        (checksum(&buf) == slot.sum).then_some(buf)
    }
}

/// An entry as stored: its HTML compressed with LZ4, its length before. The
/// HTML of highlighted code is mostly repeated class names: it shrinks to a
/// fraction, and LZ4 restores it faster than it is read.
fn pack(html: &str) -> Vec<u8> {
    lz4_flex::compress_prepend_size(html.as_bytes())
}

/// The HTML of an entry as stored, if it is one: LZ4 never expands more than
/// 255 times (the check keeps a garbled length from a huge allocation).
fn unpack(stored: &[u8]) -> Option<Arc<str>> {
    let raw: [u8; 4] = stored.get(..4)?.try_into().ok()?;
    if u32::from_le_bytes(raw) as usize > stored.len().saturating_mul(255) {
        return None;
    }
    let bytes = lz4_flex::decompress_size_prepended(stored).ok()?;
    String::from_utf8(bytes).ok().map(Arc::from)
}

/// The first 16 bytes of the BLAKE3 hash of an entry's HTML.
fn checksum(bytes: &[u8]) -> [u8; 16] {
    let h = blake3::hash(bytes);
    let mut sum = [0; 16];
    sum.copy_from_slice(&h.as_bytes()[..16]);
    sum
}

/// What the index says of one entry.
#[derive(Debug, Clone, Copy)]
struct Meta {
    key: Key,
    stamp: u64,
    len: u32,
    sum: [u8; 16],
}

impl Meta {
    fn of(key: Key, stamp: u64, html: &[u8]) -> Meta {
        Meta {
            key,
            stamp,
            len: html.len() as u32,
            sum: checksum(html),
        }
    }
}

/// Where a merged entry's HTML comes from.
enum Source<'a> {
    Fresh(&'a [u8]),
    Slot(usize),
}

/// A pack's header and index, for entries whose HTML follows in this order.
fn encode_head(entries: &[Meta]) -> Vec<u8> {
    let data_len: u64 = entries.iter().map(|m| u64::from(m.len)).sum();
    let mut index = Vec::with_capacity(entries.len() * ENTRY);
    let mut offset = 0u64;
    for m in entries {
        index.extend_from_slice(&m.key);
        index.extend_from_slice(&m.stamp.to_le_bytes());
        index.extend_from_slice(&offset.to_le_bytes());
        index.extend_from_slice(&m.len.to_le_bytes());
        index.extend_from_slice(&m.sum);
        offset += u64::from(m.len);
    }
    let mut out = Vec::with_capacity(HEADER + index.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(entries.len() as u64).to_le_bytes());
    out.extend_from_slice(&data_len.to_le_bytes());
    out.extend_from_slice(blake3::hash(&index).as_bytes());
    out.extend_from_slice(&index);
    out
}

/// A pack's header and index, if they check out: the magic and version, the
/// index's checksum, and a length that is exactly header, index and data (a
/// truncated pack is left out whole). Entries pointing past the data are
/// left out too.
fn decode_index(header: &[u8], index: &[u8], file_len: u64) -> Option<Vec<(Key, Slot)>> {
    if header.len() != HEADER || &header[..8] != MAGIC {
        return None;
    }
    let count = u64::from_le_bytes(header[8..16].try_into().ok()?);
    let data_len = u64::from_le_bytes(header[16..24].try_into().ok()?);
    let index_len = count.checked_mul(ENTRY as u64)?;
    if (HEADER as u64)
        .checked_add(index_len)?
        .checked_add(data_len)?
        != file_len
        || index.len() as u64 != index_len
        || blake3::hash(index).as_bytes()[..] != header[24..56]
    {
        return None;
    }
    let mut out = Vec::with_capacity(count as usize);
    for e in index.chunks_exact(ENTRY) {
        let key: Key = e[..32].try_into().ok()?;
        let stamp = u64::from_le_bytes(e[32..40].try_into().ok()?);
        let offset = u64::from_le_bytes(e[40..48].try_into().ok()?);
        let len = u32::from_le_bytes(e[48..52].try_into().ok()?);
        let sum: [u8; 16] = e[52..68].try_into().ok()?;
        if offset.checked_add(u64::from(len))? > data_len {
            continue;
        }
        out.push((
            key,
            Slot {
                pack: 0,
                stamp,
                offset,
                len,
                sum,
            },
        ));
    }
    Some(out)
}

/// A pack opened: its file, where its data starts, and its index.
type Opened = (File, u64, Vec<(Key, Slot)>);

/// Opens a pack and reads its index.
fn read_pack(path: &Path) -> Option<Opened> {
    let file = File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let mut header = [0u8; HEADER];
    read_at(&file, &mut header, 0).ok()?;
    let count = u64::from_le_bytes(header[8..16].try_into().ok()?);
    let index_len = count.checked_mul(ENTRY as u64)?;
    // A garbled count must not make a huge allocation.
    if index_len > len {
        return None;
    }
    let mut index = vec![0u8; index_len as usize];
    read_at(&file, &mut index, HEADER as u64).ok()?;
    let entries = decode_index(&header, &index, len)?;
    Some((file, HEADER as u64 + index_len, entries))
}

/// Writes a pack of `entries` under a temporary name and renames it into
/// place (named by a hash of its index, which holds the checksum of every
/// entry). `html(n)` gives the HTML of entry `n`, which must match its
/// length and checksum, else nothing is written. Returns the pack's path.
fn write_pack(
    dir: &Path,
    entries: &[Meta],
    mut html: impl FnMut(usize) -> Option<Vec<u8>>,
) -> std::io::Result<PathBuf> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let head = encode_head(entries);
    let hash = blake3::hash(&head).to_hex();
    let path = dir.join(format!("pack-{}.bin", &hash[..32]));
    let temp = dir.join(format!(
        ".tmp-{}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        &hash[..8]
    ));
    let mut write = || -> std::io::Result<()> {
        let mut out = std::io::BufWriter::new(File::create(&temp)?);
        out.write_all(&head)?;
        for (n, m) in entries.iter().enumerate() {
            let bytes = html(n)
                .filter(|b| b.len() == m.len as usize && checksum(b) == m.sum)
                .ok_or_else(|| std::io::Error::other("a cache entry changed while merging"))?;
            out.write_all(&bytes)?;
        }
        out.into_inner().map_err(|e| e.into_error())?;
        std::fs::rename(&temp, &path)
    };
    let result = write();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map(|()| path)
}

/// Marks the cache folder as a cache: `CACHEDIR.TAG` (backup tools skip
/// it) and a `.gitignore` of everything (so it is never committed, even
/// where the site's own `.gitignore` does not list it). Made once.
fn mark_folder(dir: &Path) {
    let tag = dir.join("CACHEDIR.TAG");
    if !tag.exists() {
        let _ = std::fs::write(
            &tag,
            "Signature: 8a477f597d28d172789f06886806bc55\n\
             # This folder is the cache of gen (Byline); it is rebuilt when removed.\n",
        );
    }
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        let _ = std::fs::write(
            &ignore,
            "# The cache of gen (Byline): never committed.\n*\n",
        );
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.read_exact_at(buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
