//! The setters of the request and response types: named like their fields, so that the
//! `#[non_exhaustive]` types can be built outside this crate
//! (`GetItem::new(table, key).consistent_read(true)`).

/// `setters!(GetItem { consistent_read: value bool, projection: some Vec<Path> })`: one
/// setter per field; `some` wraps the value in `Some`, `some_into` takes `impl Into<T>` first,
/// `value` sets it as given.
macro_rules! setters {
    ($type:ident { $($field:ident: $kind:ident $value:ty),* $(,)? }) => {
        impl $type {
            $($crate::request::setters::setters!(@one $field $kind $value);)*
        }
    };
    (@one $field:ident some $value:ty) => {
        #[doc = concat!("Sets `", stringify!($field), "`.")]
        pub fn $field(mut self, $field: $value) -> Self {
            self.$field = Some($field);
            self
        }
    };
    (@one $field:ident some_into $value:ty) => {
        #[doc = concat!("Sets `", stringify!($field), "`.")]
        pub fn $field(mut self, $field: impl Into<$value>) -> Self {
            self.$field = Some($field.into());
            self
        }
    };
    (@one $field:ident value $value:ty) => {
        #[doc = concat!("Sets `", stringify!($field), "`.")]
        pub fn $field(mut self, $field: $value) -> Self {
            self.$field = $field;
            self
        }
    };
}
pub(crate) use setters;
