use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Status {
    Open,
    Done,
}

#[derive(Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "task",
    partition_key(template = "USER#{user_id}"),
    sort_key(template = "TASK#{status}#{task_id}")
)]
struct Task {
    user_id: String,
    status: Status,
    task_id: String,
}

fn main() {}
