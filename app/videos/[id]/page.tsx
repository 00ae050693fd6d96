import type { Metadata } from "next";
import { VideoView } from "../../_components/VideoView";

export const metadata: Metadata = { title: "Video" };

interface VideoPageProps {
  params: Promise<{ id: string }>;
}

export default async function VideoPage({ params }: VideoPageProps) {
  const { id } = await params;
  // keyed: another video gets fresh state (loading, polling, player)
  return <VideoView key={id} id={id} />;
}
