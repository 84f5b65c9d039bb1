use notes_repo::Note;

fn main() {
    let _ = Note::TITLE.set("x");
}
