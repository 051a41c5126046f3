{{ item_popularity('dim_hobby', 'hobby') }}
