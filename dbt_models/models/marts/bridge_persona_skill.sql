{{ item_bridge('int_persona_skills_unnested', 'int_skill_spellings_normalized', 'skill') }}
