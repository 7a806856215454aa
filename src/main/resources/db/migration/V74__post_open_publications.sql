-- How many of a post's publications have not ended. The one that brings it to zero settles the post: one row
-- update that serialises the post's last publications by itself, instead of a lock followed by a scan.
ALTER TABLE posts ADD COLUMN open_publications INT NOT NULL DEFAULT 0;
UPDATE posts SET open_publications = (SELECT count(*) FROM publications u
                                      WHERE u.post_id = posts.id AND u.state NOT IN ('PUBLISHED', 'FAILED', 'DEAD', 'CANCELLED'));
