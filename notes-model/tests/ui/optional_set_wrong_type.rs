use notes_repo::Note;

fn main() {
    // `attachment` is an `Option<String>`: it takes "a.png", a `String` or an `Option<String>`.
    let _ = Note::ATTACHMENT.set("a.png");
    let _ = Note::ATTACHMENT.set(5);
}
