//! The cause of an [`Error`](crate::Error), as text: what its
//! [`source`](std::error::Error::source) shows.
//!
//! The causes are the HTTP client's errors (a connection refused, a body cut off), whose text
//! can quote what a server sent. An error keeps their text, level by level, so that its
//! redactor can remove the credentials from every level; it keeps no error value whose text
//! it could not change.

use std::error::Error as StdError;
use std::fmt;

use crate::redact::Redactor;

/// One level of a cause: its text, and the cause under it.
#[derive(Debug)]
pub(crate) struct Cause {
    text: String,
    source: Option<Box<Cause>>,
}

impl Cause {
    /// The text of `error` and of each of its sources.
    pub(crate) fn of(error: &(dyn StdError + 'static)) -> Cause {
        Cause {
            text: error.to_string(),
            source: error.source().map(|s| Box::new(Cause::of(s))),
        }
    }

    /// Every level's text with the credentials `redactor` knows removed.
    pub(crate) fn redacted(mut self, redactor: &Redactor) -> Cause {
        redactor.redact_in_place(&mut self.text);
        self.source = self.source.map(|s| Box::new(s.redacted(redactor)));
        self
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl StdError for Cause {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error with a cause, like the HTTP client's.
    #[derive(Debug)]
    struct Outer(std::io::Error);

    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("the body could not be read")
        }
    }

    impl StdError for Outer {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&self.0)
        }
    }

    fn chain(error: &dyn StdError) -> Vec<String> {
        let mut texts = vec![error.to_string()];
        let mut source = error.source();
        while let Some(s) = source {
            texts.push(s.to_string());
            source = s.source();
        }
        texts
    }

    #[test]
    fn every_level_keeps_its_text_and_loses_the_credentials() {
        let inner = std::io::Error::other("server said: bad key s3cr3t-key");
        let cause = Cause::of(&Outer(inner));
        assert_eq!(
            chain(&cause),
            [
                "the body could not be read",
                "server said: bad key s3cr3t-key"
            ]
        );
        let redactor = Redactor::new(["s3cr3t-key", "the body"]);
        let cause = cause.redacted(&redactor);
        assert_eq!(
            chain(&cause),
            [
                "<redacted> could not be read",
                "server said: bad key <redacted>"
            ]
        );
        let debug = format!("{cause:?}");
        assert!(!debug.contains("s3cr3t"), "{debug}");
        assert!(debug.contains("server said"), "{debug}");
    }
}
