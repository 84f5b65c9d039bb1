use notes_repo::{Collection, Item};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(table = "app", entity = "user", partition_key(template = "USER#{user_id}"), sort_key(template = "PROFILE"))]
struct User {
    user_id: String,
}

#[derive(Collection)]
enum UserData {
    Profile(User),
    Nothing,
    Both(User, User),
}

#[derive(Collection)]
struct NotAnEnum {
    user: User,
}

fn main() {}
