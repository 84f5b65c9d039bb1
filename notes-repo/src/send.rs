//! Awaiting a typed request builder sends it: `IntoFuture` is the builder's `.send()`.

/// `IntoFuture` for a typed request builder: awaiting it is `.send()`. The short form is for
/// builders that borrow their repository for `'a` (`GetBuilder<'a, T, B>`); the long form
/// names the impl's generics and the future's lifetime.
macro_rules! send_on_await {
    ([$($generics:tt)*] $builder:ty => $output:ty, $lifetime:lifetime) => {
        impl<$($generics)*> std::future::IntoFuture for $builder {
            type Output = notes_core::Result<$output>;
            type IntoFuture = futures::future::BoxFuture<$lifetime, notes_core::Result<$output>>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
    ($builder:ty => $output:ty) => {
        $crate::send::send_on_await!(
            ['a, T: notes_model::Item, B: notes_core::Backend] $builder => $output, 'a
        );
    };
}

pub(crate) use send_on_await;
