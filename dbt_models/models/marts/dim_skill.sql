{{ item_dimension('bridge_persona_skill', 'skill') }}
