//! Text held compressed (LZ4) while a build or the preview keeps it for
//! later: the pages waiting for the search indexer, the post bodies feeds
//! show, the preview's whole output and its posts' page bodies between
//! rebuilds (in the preview's temporary file where the system allows, see
//! `serve/spill.rs`). HTML with highlighted code packs to a fifth or less of its size,
//! and unpacking a page takes a tenth of a millisecond, so holding many is
//! cheap in both memory and time. (Posts' Markdown sources are not held:
//! they are read again, see `load::SourceFile`.)

/// A text, compressed. Compression is deterministic, so two
/// texts are equal exactly when their packed bytes are.
#[derive(Clone, PartialEq, Eq)]
pub struct Packed(Box<[u8]>);

impl std::fmt::Debug for Packed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Packed({} bytes)", self.0.len())
    }
}

impl Packed {
    /// Compresses `text`.
    pub fn new(text: &str) -> Packed {
        Packed(lz4_flex::block::compress_prepend_size(text.as_bytes()).into_boxed_slice())
    }

    /// The text, uncompressed.
    pub fn text(&self) -> String {
        let bytes = lz4_flex::block::decompress_size_prepended(&self.0)
            .expect("text packed by this program unpacks");
        // Packed only from a `str`, so always UTF-8.
        String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into())
    }

    /// A text from bytes [`Packed::as_bytes`] gave: the caller vouches for
    /// them (the preview's temporary file, checked against their hash).
    pub fn from_bytes(bytes: Vec<u8>) -> Packed {
        Packed(bytes.into_boxed_slice())
    }

    /// The compressed bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The compressed size, in bytes.
    pub fn packed_len(&self) -> usize {
        self.0.len()
    }
}
