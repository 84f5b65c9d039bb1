use notes_repo::Note;

fn main() {
    let _ = Note::CONTENT.add("more");
}
