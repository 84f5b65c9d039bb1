use notes_repo::Note;

fn main() {
    let _ = Note::CREATED_AT.set("yesterday");
}
