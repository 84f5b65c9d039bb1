use notes_repo::{Item, MemoryBackend, Repo};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(table = "secrets")]
struct Secret {
    #[partition_key]
    user_id: String,
    #[sort_key]
    secret_id: String,
    #[encrypt]
    content: String,
    title: String,
}

fn main() {
    let repo: Repo<Secret, _> = Repo::new(MemoryBackend::new());
    // A filter on an encrypted attribute.
    let _ = repo.query("u1").filter(Secret::CONTENT.eq("hello"));
    // A condition on one.
    let key = SecretKey::new("u1", "s1");
    let _ = repo.delete(&key).condition(Secret::CONTENT.ne("old"));
    let _ = Secret::CONTENT.begins_with("TODO");
    let _ = Secret::CONTENT.is_in(["a", "b"]);
    // On a plaintext attribute, and presence checks, they compile.
    let _ = repo.query("u1").filter(Secret::TITLE.eq("hello"));
    let _ = Secret::CONTENT.exists();
}
