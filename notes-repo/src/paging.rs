//! Reads in pages, shared by queries and scans: the pages of a read, fetched lazily as they are
//! consumed; their items, typed; or what they count.

use std::future::Future;

use futures::stream::{self, BoxStream};
use futures::{Stream, StreamExt, TryStreamExt};

use notes_model::{Item, ItemMap};

use crate::count::Count;
use notes_core::request::PageOutput;
use notes_core::{Error, Result};

/// The pages `fetch(start_key, limit)` returns, fetched one at a time as the stream is
/// consumed, until a page has no `LastEvaluatedKey` or `limit` matching items were read: each
/// page asks for at most the rest (DynamoDB's `Limit`, items evaluated), so no more than
/// `limit` items match in all.
fn pages<'r, F, Fut>(fetch: F, limit: Option<u32>) -> impl Stream<Item = Result<PageOutput>> + 'r
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
                    .map(|item| T::from_item(item).map_err(Error::from)),
            )
        })
        .try_flatten()
        .boxed()
}

/// What the pages that `fetch(start_key, limit)` returns count in all (each fetched with
/// `Select: COUNT`), read as [`items`] reads them.
pub(crate) async fn count<F, Fut>(fetch: F, limit: Option<u32>) -> Result<Count>
where
    F: Fn(Option<ItemMap>, Option<u32>) -> Fut,
    Fut: Future<Output = Result<PageOutput>>,
{
    pages(fetch, limit)
        .try_fold(Count::default(), |total, page| async move {
            Ok(total + Count::of(&page))
        })
        .await
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use notes_model::AttributeValue;

    use super::*;

    /// A read of `per_page` items a page, `pages` pages, each matching `matched` of them:
    /// the limits it was asked for, and the pages it answered.
    fn pages_of(
        per_page: usize,
        matched: usize,
        pages: usize,
        asked: &Mutex<Vec<Option<u32>>>,
    ) -> impl Fn(Option<ItemMap>, Option<u32>) -> futures::future::Ready<Result<PageOutput>> + '_
    {
        move |start, limit| {
            asked.lock().unwrap().push(limit);
            let n = start.map_or(0, |key| match key.get("n") {
                Some(AttributeValue::N(n)) => n.parse().unwrap(),
                _ => unreachable!(),
            });
            let evaluated = limit.map_or(per_page, |l| per_page.min(l as usize));
            let mut page = PageOutput::new(Vec::new())
                .count(matched.min(evaluated))
                .scanned_count(evaluated)
                .consumed_capacity(1.0);
            if n + 1 < pages {
                let key = ItemMap::from([("n".into(), AttributeValue::N((n + 1).to_string()))]);
                page = page.last_evaluated_key(key);
            }
            futures::future::ready(Ok(page))
        }
    }

    #[tokio::test]
    async fn a_count_adds_up_every_page() {
        let asked = Mutex::new(Vec::new());
        let total = count(pages_of(3, 2, 4, &asked), None).await.unwrap();
        assert_eq!(
            total,
            Count {
                count: 8,
                scanned_count: 12,
                consumed_capacity: Some(4.0),
            }
        );
        assert_eq!(*asked.lock().unwrap(), [None; 4]);
    }

    /// Each page asks for at most the matches still wanted, and the read stops once `limit`
    /// items matched: the same rule as for items.
    #[tokio::test]
    async fn a_count_stops_at_the_limit_of_matching_items() {
        let asked = Mutex::new(Vec::new());
        let total = count(pages_of(3, 2, 10, &asked), Some(5)).await.unwrap();
        assert_eq!((total.count, total.scanned_count), (5, 7));
        assert_eq!(*asked.lock().unwrap(), [Some(5), Some(3), Some(1)]);
    }

    /// A backend that fills `items` by hand and leaves `count` at 0 still stops at the limit.
    #[tokio::test]
    async fn items_filled_by_hand_still_count_against_the_limit() {
        let asked = Mutex::new(Vec::new());
        let fetch = |start: Option<ItemMap>, limit: Option<u32>| {
            asked.lock().unwrap().push(limit);
            let mut page = PageOutput::default();
            page.items = vec![notes_model::Note::new("u1", "x").to_item().unwrap(); 2];
            page.last_evaluated_key = Some(start.unwrap_or_default());
            futures::future::ready(Ok(page))
        };
        let notes: Vec<notes_model::Note> = items(fetch, Some(3)).try_collect().await.unwrap();
        assert_eq!(notes.len(), 4);
        assert_eq!(*asked.lock().unwrap(), [Some(3), Some(1)]);
    }
}
