//! Splitting an answer into stream chunks the way a model streams tokens.

/// Splits `text` after every `words_per_chunk` whitespace-separated words.
///
/// Slices end only at whitespace, so no chunk ever splits a UTF-8 character,
/// and the chunks concatenate back to `text` exactly.
pub fn word_chunks(text: &str, words_per_chunk: usize) -> Vec<&str> {
    let words_per_chunk = words_per_chunk.max(1);
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut words = 0;
    for (index, c) in text.char_indices() {
        if c.is_whitespace() {
            words += 1;
            if words == words_per_chunk {
                let end = index + c.len_utf8();
                chunks.push(&text[start..end]);
                start = end;
                words = 0;
            }
        }
    }
    if start < text.len() {
        chunks.push(&text[start..]);
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_concatenate_back_to_the_text() {
        let text = "Hello — I'm a café router… not a model. Voilà!";
        let chunks = word_chunks(text, 2);
        assert_eq!(chunks.concat(), text);
        assert_eq!(chunks[0], "Hello — ");
        assert!(chunks.len() >= 4);
        assert!(chunks.iter().all(|c| !c.is_empty()));
    }

    #[test]
    fn short_text_is_one_chunk() {
        assert_eq!(word_chunks("hi", 3), ["hi"]);
        assert!(word_chunks("", 3).is_empty());
    }
}
