//! The shell's error: the core's, or a journal that could not be opened, sent to the UI as
//! `{kind, message}` so it can tell "not found" from "invalid input".

use serde::ser::SerializeStruct;

/// What a command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The journal refused the operation.
    #[error(transparent)]
    Core(#[from] rapport::Error),
    /// The desktop refused something outside the journal (e.g. the login items).
    #[error("{0}")]
    System(String),
    /// The journal is not open (it could not be at start); the window says why.
    #[error("the journal is not open: {0}")]
    Unavailable(String),
}

impl Error {
    fn kind(&self) -> &'static str {
        match self {
            Error::Core(e) => e.kind(),
            Error::Unavailable(_) => "unavailable",
            Error::System(_) => "system",
        }
    }
}

impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Error", 4)?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        let field = match self {
            Error::Core(rapport::Error::Invalid { field, .. }) => Some(*field),
            _ => None,
        };
        s.serialize_field("field", &field)?;
        // A refused import lists every bad line, for the window to show them all.
        let problems = match self {
            Error::Core(rapport::Error::Rejected { problems }) => problems.as_slice(),
            _ => &[],
        };
        s.serialize_field("problems", problems)?;
        s.end()
    }
}

/// The result of a command.
pub type Result<T> = std::result::Result<T, Error>;
