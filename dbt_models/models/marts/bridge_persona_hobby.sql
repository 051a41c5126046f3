{{ item_bridge('int_persona_hobbies_unnested', 'int_hobby_spellings_normalized', 'hobby') }}
