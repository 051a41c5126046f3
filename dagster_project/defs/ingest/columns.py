"""The datasets' columns: the one home of their names (no imports, so that light commands can read them)."""

# The 22 columns of the original release; the USA release adds cultural_background.
REQUIRED_COLUMNS = (
    "uuid", "persona", "professional_persona", "sports_persona", "arts_persona",
    "travel_persona", "culinary_persona", "skills_and_expertise", "skills_and_expertise_list",
    "hobbies_and_interests", "hobbies_and_interests_list", "career_goals_and_ambitions",
    "sex", "age", "marital_status", "education_level", "bachelors_field", "occupation",
    "city", "state", "zipcode", "country",
)  # fmt: skip
USA_ONLY_COLUMNS = ("cultural_background",)
# The free-text columns: six personas and four longer narratives (cultural_background in the USA release).
NARRATIVE_COLUMNS = (
    "persona", "professional_persona", "sports_persona", "arts_persona", "travel_persona", "culinary_persona",
    "cultural_background", "skills_and_expertise", "hobbies_and_interests", "career_goals_and_ambitions",
)  # fmt: skip
LIST_COLUMNS = ("skills_and_expertise_list", "hobbies_and_interests_list")
