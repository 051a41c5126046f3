{{ item_popularity('dim_skill', 'skill') }}
