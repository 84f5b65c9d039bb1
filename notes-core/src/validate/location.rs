//! Where a value sits in an item or an expression, for error messages.

use std::fmt;

/// Where a value sits, for error messages; a linked list on the stack, formatted only on error.
pub(super) enum Location<'a> {
    /// A literal in an expression.
    Value,
    Attribute(&'a str),
    Key(&'a Location<'a>, &'a str),
    Index(&'a Location<'a>, usize),
}

impl<'a> Location<'a> {
    pub(super) fn attribute(name: &'a str) -> Self {
        Location::Attribute(name)
    }
}

impl Location<'_> {
    pub(super) fn write_path(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Value => f.write_str(":value"),
            Location::Attribute(name) => f.write_str(name),
            Location::Key(parent, key) => {
                parent.write_path(f)?;
                write!(f, ".{key}")
            }
            Location::Index(parent, index) => {
                parent.write_path(f)?;
                write!(f, "[{index}]")
            }
        }
    }
}

impl Location<'_> {
    pub(super) fn in_expression_value(&self) -> bool {
        match self {
            Location::Value => true,
            Location::Attribute(_) => false,
            Location::Key(parent, _) | Location::Index(parent, _) => parent.in_expression_value(),
        }
    }
}

impl fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Value => f.write_str("an expression value"),
            _ if self.in_expression_value() => {
                f.write_str("an expression value, at `")?;
                self.write_path(f)?;
                f.write_str("`")
            }
            _ => {
                f.write_str("attribute `")?;
                self.write_path(f)?;
                f.write_str("`")
            }
        }
    }
}
