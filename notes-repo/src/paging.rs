//! Reads in pages, shared by queries and scans: the pages of a read, fetched lazily as they are
//! consumed, and their items, typed.

use std::future::Future;

use futures::stream::{self, BoxStream};
use futures::{Stream, StreamExt, TryStreamExt};

use notes_model::{Item, ItemMap};

use notes_core::request::PageOutput;
use notes_core::{Error, Result};

/// The pages `fetch(start_key, limit)` returns, fetched one at a time as the stream is
/// consumed, until a page has no `LastEvaluatedKey` or `limit` matching items were read: each
/// page asks for at most the rest (DynamoDB's `Limit`, items evaluated), so no more than
/// `limit` items match in all.
pub(crate) fn pages<'r, F, Fut>(
    fetch: F,
    limit: Option<u32>,
) -> impl Stream<Item = Result<PageOutput>> + 'r
where
    F: Fn(Option<ItemMap>, Option<u32>) -> Fut + 'r,
    Fut: Future<Output = Result<PageOutput>> + 'r,
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
        // `count` is the items returned, or counted (`Select: COUNT`); a backend that fills
        // `items` by hand and leaves `count` at 0 still pages right.
        let matched = u32::try_from(page.count.max(page.items.len())).unwrap_or(u32::MAX);
        let remaining = remaining.map(|r| r.saturating_sub(matched));
        let next = (page.last_evaluated_key.clone()).map(|key| (Some(key), remaining));
        Ok(Some((page, (fetch, next))))
    })
}

/// The items of the pages that `fetch(start_key, limit)` returns, fetched one page at a time as
/// the stream is consumed, until a page has no `LastEvaluatedKey` or `limit` items were read.
pub(crate) fn items<'r, T, F, Fut>(fetch: F, limit: Option<u32>) -> BoxStream<'r, Result<T>>
where
    T: Item,
    F: Fn(Option<ItemMap>, Option<u32>) -> Fut + Send + 'r,
    Fut: Future<Output = Result<PageOutput>> + Send + 'r,
{
    pages(fetch, limit)
        .map_ok(|page| {
            stream::iter(
                page.items
                    .into_iter()
                    .map(|item| T::from_shared(item).map_err(Error::from)),
            )
        })
        .try_flatten()
        .boxed()
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    /// A backend that fills `items` by hand and leaves `count` at 0 still stops at the limit.
    #[tokio::test]
    async fn items_filled_by_hand_still_count_against_the_limit() {
        let asked = Mutex::new(Vec::new());
        let fetch = |start: Option<ItemMap>, limit: Option<u32>| {
            asked.lock().unwrap().push(limit);
            let mut page = PageOutput::default();
            page.items = vec![notes_model::Note::new("u1", "x").to_item().unwrap().into(); 2];
            page.last_evaluated_key = Some(start.unwrap_or_default());
            futures::future::ready(Ok(page))
        };
        let notes: Vec<notes_model::Note> = items(fetch, Some(3)).try_collect().await.unwrap();
        assert_eq!(notes.len(), 4);
        assert_eq!(*asked.lock().unwrap(), [Some(3), Some(1)]);
    }
}
