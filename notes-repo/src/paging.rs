//! Lazily paged item streams, shared by queries and scans.

use std::future::Future;

use futures::stream::{self, BoxStream};
use futures::{StreamExt, TryStreamExt};

use notes_model::{Item, ItemMap};

use notes_core::request::PageOutput;
use notes_core::{Error, Result};

/// The items of the pages that `fetch(start_key, limit)` returns, fetched one page at a time as
/// the stream is consumed, until a page has no `LastEvaluatedKey` or `limit` items were read.
pub(crate) fn items<'r, T, F, Fut>(fetch: F, limit: Option<u32>) -> BoxStream<'r, Result<T>>
where
    T: Item,
    F: Fn(Option<ItemMap>, Option<u32>) -> Fut + Send + 'r,
    Fut: Future<Output = Result<PageOutput>> + Send + 'r,
{
    let state = Some((None::<ItemMap>, limit));
    stream::try_unfold((fetch, state), |(fetch, state)| async move {
        let Some((start, remaining)) = state else {
            return Ok::<_, Error>(None);
        };
        if remaining == Some(0) {
            return Ok(None);
        }
        let page = fetch(start, remaining).await?;
        let returned = u32::try_from(page.items.len()).unwrap_or(u32::MAX);
        let remaining = remaining.map(|r| r.saturating_sub(returned));
        let next = page.last_evaluated_key.map(|key| (Some(key), remaining));
        let items: Vec<Result<T>> = page
            .items
            .into_iter()
            .map(|item| T::from_item(item).map_err(Error::from))
            .collect();
        Ok(Some((stream::iter(items), (fetch, next))))
    })
    .try_flatten()
    .boxed()
}
