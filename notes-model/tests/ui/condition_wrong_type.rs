use notes_repo::Note;

fn main() {
    let _ = Note::CREATED_AT.gt("yesterday");
    let _ = Note::CONTENT.is_in([1, 2]);
}
