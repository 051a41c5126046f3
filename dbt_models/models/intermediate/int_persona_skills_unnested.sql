{{ unnest_persona_list('skills', 'skill') }}
