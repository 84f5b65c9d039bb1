//! Query pages end at exactly 1 MB of items read, measured with MemoryBackend's own item
//! sizes. The workspace's typed suite checks the same on both backends, without the exact count
//! (`tests/tests/suite/query.rs`).

use super::*;

#[tokio::test]
async fn query_pages_stop_at_one_megabyte() {
    let backend = notes().await;
    let body = "x".repeat(2000);
    for i in 0..1000 {
        let mut row = note("u", &format!("n{i:04}"));
        row.insert("content".into(), s(&body));
        backend.put_item(put("notes", row)).await.unwrap();
    }
    let size = notes_core::validate::item_size(&{
        let mut row = note("u", "n0000");
        row.insert("content".into(), s(&body));
        row
    });
    let per_page = crate::query::MAX_PAGE_BYTES.div_ceil(size);
    let mut start = None;
    let mut pages = Vec::new();
    loop {
        let page = backend
            .query({
                let mut request = query("u").consistent_read(true);
                request.exclusive_start_key = start;
                request
            })
            .await
            .unwrap();
        pages.push((page.items.len(), page.consumed_capacity));
        start = page.last_evaluated_key;
        if start.is_none() {
            break;
        }
    }
    assert_eq!(pages[0].0, per_page);
    assert_eq!(pages[0].1, Some(((per_page * size).div_ceil(4096)) as f64));
    assert_eq!(pages.iter().map(|p| p.0).sum::<usize>(), 1000);
    assert_eq!(pages.len(), 1000_usize.div_ceil(per_page));
}
